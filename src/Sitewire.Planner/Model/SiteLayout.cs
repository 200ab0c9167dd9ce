using Sitewire.Config.Topology;

namespace Sitewire.Planner.Model;

/// <summary>Where things sit on one site's LAN: the on-link segment (the node's LAN interface) and one segment per subnet behind a LAN router.</summary>
internal sealed class SiteLayout
{
    private readonly List<(Prefix Prefix, Segment Segment)> _subnets = [];
    private readonly List<(Prefix Prefix, Segment Segment, Address Via)> _routed = [];

    public SiteLayout(Node node, Network network)
    {
        Lan = network.Segment(ModelBuilder.LanSegmentName(node.Name));
        NodeLanAddresses = node.Lan is { } lan ? ModelBuilder.NodeLanAddresses(lan) : [];
        foreach (var subnet in node.Lan?.Subnets ?? [])
        {
            var prefix = Prefix.From(subnet.Prefix);
            if (subnet.Via is { } via)
            {
                var segment = network.Segment($"{node.Name}/{prefix}");
                _routed.Add((prefix, segment, Address.From(via)));
                _subnets.Add((prefix, segment));
            }
            else
            {
                _subnets.Add((prefix, Lan));
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

    /// <summary>The segment and prefix length of the most specific site subnet holding the address (the on-link LAN otherwise).</summary>
    public (Segment Segment, int Length) Placement(Address address)
    {
        var best = _subnets.Where(s => s.Prefix.Contains(address)).OrderByDescending(s => s.Prefix.Length).FirstOrDefault();
        return best.Segment is null ? (Lan, LanLength(address)) : (best.Segment, best.Prefix.Length);
    }

    private InterfaceAddress? NodeLanAddressFor(Address peer) => InterfaceAddress.FirstOfFamily(NodeLanAddresses, peer);
}
