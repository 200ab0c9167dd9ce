using System.Net;
using Sitewire.Config.Topology;

namespace Sitewire.Planner.Model;

/// <summary>
/// Where things sit on one site's LAN: the on-link segment (the node's LAN interface), one segment per subnet behind
/// a LAN router, and the router's address for each host. A host without a declared router uses the subnet's router:
/// the first `via` address on the on-link LAN, else the first free address of its subnet (the last one behind a router).
/// </summary>
internal sealed class SiteLayout
{
    private readonly List<(Prefix Prefix, Segment Segment)> _subnets = [];
    private readonly List<uint> _viaAddresses = [];

    public SiteLayout(Node node, Network network, IPNetwork overlay)
    {
        Overlay = overlay;
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
                _viaAddresses.Add(viaAddress);
                _subnets.Add((prefix, network.Segment($"{node.Name}/{prefix}")));
            }
            else
            {
                _subnets.Add((prefix, Lan));
            }
        }
    }

    public IPNetwork Overlay { get; }
    public Segment Lan { get; }
    public uint? NodeLanAddress { get; }
    public int LanLength { get; } = 24;
    public IReadOnlyList<uint> ViaAddresses => _viaAddresses;

    /// <summary>The segment and prefix length of the most specific site subnet holding the address (the on-link LAN otherwise).</summary>
    public (Segment Segment, int Length) Placement(uint address)
    {
        var best = _subnets.Where(s => s.Prefix.Contains(address)).OrderByDescending(s => s.Prefix.Length).FirstOrDefault();
        return best.Segment is null ? (Lan, LanLength) : (best.Segment, best.Prefix.Length);
    }

    public uint? RouterAddressFor(LanHost host)
    {
        if (host.Router is { } declared && Ipv4.TryFrom(declared, out var router))
        {
            return router;
        }
        if (!Ipv4.TryFrom(host.Address, out var address))
        {
            return null;
        }
        var (segment, length) = Placement(address);
        if (segment == Lan && _viaAddresses.Count > 0)
        {
            return _viaAddresses[0];
        }
        var subnet = new Prefix(address, length);
        var candidate = segment == Lan ? subnet.Network + 1 : subnet.Network + (uint)((1L << (32 - length)) - 2);
        return candidate == NodeLanAddress || candidate == address ? candidate + 1 : candidate;
    }

    public void AddRouterInterface(Host router, uint? address)
    {
        if (address is not { } routerAddress || router.Owns(routerAddress))
        {
            return;
        }
        var (segment, length) = Placement(routerAddress);
        router.AddInterface($"lan{router.Interfaces.Count - 1}", routerAddress, length, segment);
    }
}
