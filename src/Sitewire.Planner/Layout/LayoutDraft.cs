using System.Net;

namespace Sitewire.Planner.Layout;

/// <summary>A host of the layout while <see cref="NetworkLayoutBuilder"/> computes it; <see cref="ToHost"/> freezes it.</summary>
internal sealed class LayoutDraft(string name, LayoutRole role, bool forwarding, StartingFirewall firewall)
{
    private readonly List<(string Name, string Segment, List<LayoutAddress> Addresses)> _interfaces = [];
    private readonly List<LayoutRoute> _routes = [];

    public string Name { get; } = name;
    public string? Uplink { get; set; }
    public List<PortForward> Forwards { get; } = [];
    public (string OutInterface, IPAddress PublicAddress)? Masquerade { get; set; }
    public int InterfaceCount => _interfaces.Count;

    public void AddInterface(string interfaceName, string segment, IEnumerable<LayoutAddress> addresses) =>
        _interfaces.Add((interfaceName, segment, [.. addresses]));

    public void AddAddresses(string interfaceName, IEnumerable<LayoutAddress> addresses) =>
        _interfaces.Single(i => i.Name == interfaceName).Addresses.AddRange(addresses);

    public string SegmentOf(string interfaceName) => _interfaces.Single(i => i.Name == interfaceName).Segment;

    public IEnumerable<LayoutAddress> Addresses(string interfaceName) => _interfaces.Single(i => i.Name == interfaceName).Addresses;

    /// <summary>Adds the route unless one to the same destination is there or the destination is a connected subnet: `ip route add` refuses both.</summary>
    public void AddRoute(LayoutRoute route)
    {
        var connected = _interfaces.SelectMany(i => i.Addresses).Any(a => new IPNetwork(Masked(a), a.PrefixLength) == route.Destination);
        if (!connected && !_routes.Exists(r => r.Destination == route.Destination))
        {
            _routes.Add(route);
        }
    }

    public LayoutHost ToHost() => new(
        Name,
        role,
        [.. _interfaces.Select(i => new LayoutInterface(i.Name, i.Segment, [.. i.Addresses]))],
        [.. _routes],
        forwarding,
        firewall,
        Uplink,
        Masquerade is { } nat ? new NatRouting(nat.OutInterface, nat.PublicAddress, [.. Forwards]) : null);

    private static IPAddress Masked(LayoutAddress address) => Sitewire.Config.Topology.LanSegment.OwnLink(address.Address, address.PrefixLength).Prefix.BaseAddress;
}
