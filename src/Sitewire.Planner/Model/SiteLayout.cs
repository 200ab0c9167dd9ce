using Sitewire.Config.Topology;

namespace Sitewire.Planner.Model;

/// <summary>Where things sit on one site's LAN: the on-link segment (the node's LAN interface) and one segment per subnet behind a LAN router.</summary>
internal sealed class SiteLayout
{
    private readonly LanSettings? _lan;
    private readonly List<(Prefix Prefix, Segment Segment, Address Via)> _routed = [];

    public SiteLayout(Node node, Network network)
    {
        _lan = node.Lan;
        Lan = network.Segment(ModelBuilder.LanSegmentName(node.Name));
        NodeLanAddresses = node.Lan is { } lan ? ModelBuilder.NodeLanAddresses(lan) : [];
        foreach (var subnet in node.Lan?.Subnets ?? [])
        {
            if (subnet.Via is { } via)
            {
                var prefix = Prefix.From(subnet.Prefix);
                _routed.Add((prefix, network.Segment($"{node.Name}/{prefix}"), Address.From(via)));
            }
        }
    }

    public Segment Lan { get; }

    /// <summary>The node's addresses on the on-link LAN, at most one per family.</summary>
    public IReadOnlyList<InterfaceAddress> NodeLanAddresses { get; }

    /// <summary>Subnets behind a LAN router: their prefix, segment and the router's address on the on-link LAN.</summary>
    public IReadOnlyList<(Prefix Prefix, Segment Segment, Address Via)> RoutedSubnets => _routed;

    /// <summary>The node's LAN address of the family of <paramref name="peer"/>, if the LAN has that family.</summary>
    public Address? NodeLanAddress(Address peer) => NodeLanAddressFor(peer)?.Address;

    /// <summary>The on-link prefix length of the address's family (24 or 64 when the node has no address of that family).</summary>
    public int LanLength(Address peer) => NodeLanAddressFor(peer)?.PrefixLength ?? (peer.IsV4 ? 24 : 64);

    /// <summary>The segment and on-link prefix length of the address, as <see cref="LanSettings.SegmentOf"/> places it (the on-link LAN otherwise).</summary>
    public (Segment Segment, int Length) Placement(Address address)
    {
        if (_lan?.SegmentOf(address.ToIPAddress()) is not { } placed)
        {
            return (Lan, LanLength(address));
        }
        var prefix = Prefix.From(placed.Prefix);
        return (placed.Via is null ? Lan : _routed.First(r => r.Prefix == prefix).Segment, prefix.Length);
    }

    private InterfaceAddress? NodeLanAddressFor(Address peer) => InterfaceAddress.FirstOfFamily(NodeLanAddresses, peer);
}
