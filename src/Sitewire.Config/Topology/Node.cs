using System.Net;
using Sitewire.Config.Diagnostics;
using Sitewire.Crypto;

namespace Sitewire.Config.Topology;

/// <summary>
/// A WireGuard node. <see cref="OverlayAddress"/> is always set: taken from the file or assigned by
/// <see cref="OverlayAddressAllocator"/> (<see cref="OverlayAddressAssigned"/> true).
/// <see cref="PublicKey"/> is only set when the file declares it (node-local keys, imported configs).
/// <see cref="PublicInterface"/> is the interface that faces the Internet (firewalld zone of the relay).
/// <see cref="UplinkMtu"/> is the MTU of the node's way to the Internet when it is below ethernet's (PPPoE 1492, a VPN, a mobile link).
/// <see cref="Overrides"/>: what its deployed config holds beyond the design (<see cref="Kept"/>, never null).
/// <see cref="MssClamp"/>: the plan clamps the MSS of TCP SYNs the node forwards to or from the tunnel (default; false when the
/// MSS is managed elsewhere). <see cref="DropsIcmp"/>: the node's firewall drops the ICMP errors it would send (fragmentation
/// needed, packet too big), a hardening that breaks path MTU discovery through it. <see cref="Docker"/>: the node runs Docker,
/// whose FORWARD policy DROP stands in every forwarded packet's way; <see cref="DockerUser"/> (default): the plan then puts
/// its forward accepts in Docker's DOCKER-USER chain (false when that is managed elsewhere).
/// A client's <see cref="Dns"/> servers go into its config's <c>DNS =</c>; with <see cref="RouteAll"/> it sends everything
/// through the tunnel to the node <see cref="Exit"/> names (resolved by the loader: the hub relay unless given), which
/// forwards it to the Internet with masquerade. <see cref="Keys"/> is the node's own key mode over the plan's
/// (<see cref="KeyModeUnder"/>).
/// </summary>
public sealed record Node(
    string Name,
    NodeRole Role,
    OsFamily Os,
    PublicEndpoint? Endpoint,
    bool BehindNat,
    IPAddress OverlayAddress,
    bool OverlayAddressAssigned,
    IPAddress? OverlayAddressV6,
    LanSettings? Lan,
    NatMode Nat,
    string? PublicInterface,
    Key? PublicKey,
    SourceLocation Location,
    int? UplinkMtu = null,
    NodeOverrides? Overrides = null,
    bool MssClamp = true,
    bool DropsIcmp = false,
    bool Docker = false,
    bool DockerUser = true,
    IReadOnlyList<IPAddress>? Dns = null,
    bool RouteAll = false,
    string? Exit = null,
    KeyMode? Keys = null)
{
    public IReadOnlyList<IPAddress> DnsServers => Dns ?? [];

    /// <summary>
    /// Where this node's private key is made under the plan's mode: its own <c>keys:</c> when given; else central for a
    /// client without <c>public_key</c> (a phone or laptop needs a complete config to import; one with a public key keeps
    /// the key already on the device); else the plan's.
    /// </summary>
    public KeyMode KeyModeUnder(KeyMode planMode) =>
        Keys ?? (Role == NodeRole.Client && PublicKey is null ? KeyMode.Central : planMode);

    public NodeOverrides Kept => Overrides ?? NodeOverrides.None;

    /// <summary>The keepalive interval this node sends to peers it dials: its own, else the network's when it needs one, else none (0).</summary>
    public int KeepaliveSeconds(NetworkSettings network) => Kept.PersistentKeepalive ?? (NeedsKeepalive ? network.PersistentKeepalive : 0);

    /// <summary>The MTU of the path from this node to the Internet when <see cref="UplinkMtu"/> is not given (ethernet).</summary>
    public const int DefaultUplinkMtu = 1500;

    /// <summary>The largest outer packet this node's uplink carries: <see cref="UplinkMtu"/>, else ethernet's 1500.</summary>
    public int PathMtu => UplinkMtu ?? DefaultUplinkMtu;

    public IEnumerable<IPNetwork> LanPrefixes => Lan?.Subnets.Select(subnet => subnet.Prefix) ?? [];

    /// <summary>The prefixes the other nodes route to this node's LAN: each subnet's mapped prefix when it has one, else its own.</summary>
    public IEnumerable<IPNetwork> RoutedLanPrefixes => Lan?.Subnets.Select(subnet => subnet.Routed) ?? [];

    /// <summary>The LAN subnets the node translates 1:1 to another prefix (<c>mapped_as</c>).</summary>
    public IEnumerable<LanSubnet> MappedSubnets => Lan?.Subnets.Where(subnet => subnet.MappedAs is not null) ?? [];

    /// <summary>A node peers can dial: it has a public endpoint.</summary>
    public bool IsReachable => Endpoint is not null;

    /// <summary>Whether the node must send keepalives: nobody can dial it, or it sits behind NAT.</summary>
    public bool NeedsKeepalive => BehindNat || Endpoint is null;

    /// <summary>
    /// The UDP port a peer must send to for its packets to reach <paramref name="listenPort"/>: the listen port itself
    /// on a node on the Internet; behind NAT, the endpoint's port, which the router in front forwards to the listen port
    /// (as the lab builds it).
    /// </summary>
    public int? PortReaching(int? listenPort) => BehindNat && Endpoint is { } forwarded ? forwarded.Port : listenPort;
}
