using System.Net;

namespace Sitewire.Planner.Layout;

public enum LayoutRole
{
    /// <summary>A Sitewire node of the topology.</summary>
    Node,

    /// <summary>A host of the topology on a site's LAN.</summary>
    LanHost,

    /// <summary>A site's LAN router (a subnet's <c>via</c>, a host's <c>router</c>).</summary>
    LanRouter,

    /// <summary>The router in front of nodes <c>behind_nat</c>: masquerades out of its public side, forwards endpoint ports.</summary>
    NatRouter,

    /// <summary>A host on the internet that flows target by an address in no prefix of the topology (a full tunnel's egress); it answers on the ports flows name for it.</summary>
    InternetHost,
}

/// <summary>
/// One host-to-be. <see cref="Uplink"/> is a node's interface to the internet (its LAN interface on a one-armed node);
/// <see cref="Forwarding"/> turns on IPv4 and IPv6 forwarding (routers; a node's comes from its plan);
/// <see cref="Nat"/> is a NAT router's translation.
/// </summary>
public sealed record LayoutHost(
    string Name,
    LayoutRole Role,
    IReadOnlyList<LayoutInterface> Interfaces,
    IReadOnlyList<LayoutRoute> Routes,
    bool Forwarding,
    StartingFirewall Firewall,
    string? Uplink = null,
    NatRouting? Nat = null)
{
    public LayoutInterface Interface(string name) =>
        Interfaces.FirstOrDefault(i => i.Name == name) ?? throw new KeyNotFoundException($"{Name} has no interface {name} in the layout");
}

/// <summary>An interface on a segment with its addresses, in order (the first of each family is the one the host prefers).</summary>
public sealed record LayoutInterface(string Name, string Segment, IReadOnlyList<LayoutAddress> Addresses);

/// <summary>An address with the prefix length of its connected subnet, as `ip addr add` takes it.</summary>
public readonly record struct LayoutAddress(IPAddress Address, int PrefixLength)
{
    public override string ToString() => $"{Address}/{PrefixLength}";
}

/// <summary>
/// A route: <see cref="OnLink"/> when the gateway lies outside the interface's subnets; <see cref="Uplink"/> for a
/// default route to the internet, where private destinations are lost.
/// </summary>
public sealed record LayoutRoute(IPNetwork Destination, IPAddress? Via, string Interface, bool OnLink = false, bool Uplink = false)
{
    public override string ToString() =>
        $"{Destination}{(Via is null ? "" : $" via {Via}")} dev {Interface}{(OnLink ? " onlink" : "")}";
}

/// <summary>A NAT router's translation: masquerade out of <see cref="OutInterface"/>; each forward sends UDP to <see cref="PublicAddress"/> at a port on to a node behind it.</summary>
public sealed record NatRouting(string OutInterface, IPAddress PublicAddress, IReadOnlyList<PortForward> Forwards);

public sealed record PortForward(int PublicPort, IPAddress To, int ToPort);
