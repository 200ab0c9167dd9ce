using Sitewire.Config.Topology;

namespace Sitewire.Planner.Model;

/// <summary>Where things sit on one site's LAN: the on-link segment (the node's LAN interface) and one segment per subnet behind a LAN router.</summary>
internal sealed class SiteLayout
{
    private readonly List<(Prefix Prefix, Segment Segment)> _subnets = [];
    private readonly List<(Prefix Prefix, Segment Segment, uint Via)> _routed = [];

    public SiteLayout(Node node, Network network)
    {
        Lan = network.Segment(ModelBuilder.LanSegmentName(node.Name));
        if (node.Lan is { Address: { } address, PrefixLength: { } length } && Ipv4.TryFrom(address, out var nodeAddress))
        {
            NodeLanAddress = nodeAddress;
            LanLength = length;
        }
        foreach (var subnet in node.Lan?.Subnets ?? [])
        {
            if (!Prefix.TryFrom(subnet.Prefix, out var prefix))
            {
                continue;
            }
            if (subnet.Via is { } via && Ipv4.TryFrom(via, out var viaAddress))
            {
                var segment = network.Segment($"{node.Name}/{prefix}");
                _routed.Add((prefix, segment, viaAddress));
                _subnets.Add((prefix, segment));
            }
            else
            {
                _subnets.Add((prefix, Lan));
            }
        }
    }

    public Segment Lan { get; }
    public uint? NodeLanAddress { get; }
    public int LanLength { get; } = 24;

    /// <summary>Subnets behind a LAN router: their prefix, segment and the router's address on the on-link LAN.</summary>
    public IReadOnlyList<(Prefix Prefix, Segment Segment, uint Via)> RoutedSubnets => _routed;

    /// <summary>The segment and prefix length of the most specific site subnet holding the address (the on-link LAN otherwise).</summary>
    public (Segment Segment, int Length) Placement(uint address)
    {
        var best = _subnets.Where(s => s.Prefix.Contains(address)).OrderByDescending(s => s.Prefix.Length).FirstOrDefault();
        return best.Segment is null ? (Lan, LanLength) : (best.Segment, best.Prefix.Length);
    }
}
