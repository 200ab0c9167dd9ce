using System.Net;
using Sitewire.Config.Diagnostics;
using Sitewire.Crypto;

namespace Sitewire.Config.Topology;

/// <summary>
/// A WireGuard node. <see cref="OverlayAddress"/> is always set: taken from the file or assigned by
/// <see cref="OverlayAddressAllocator"/> (<see cref="OverlayAddressAssigned"/> true).
/// <see cref="PublicKey"/> is only set when the file declares it (node-local keys, imported configs).
/// <see cref="PublicInterface"/> is the interface that faces the Internet (firewalld zone of the relay).
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
    SourceLocation Location)
{
    public IEnumerable<IPNetwork> LanPrefixes => Lan?.Subnets.Select(subnet => subnet.Prefix) ?? [];

    /// <summary>A node peers can dial: it has a public endpoint.</summary>
    public bool IsReachable => Endpoint is not null;

    /// <summary>Whether the node must send keepalives: nobody can dial it, or it sits behind NAT.</summary>
    public bool NeedsKeepalive => BehindNat || Endpoint is null;
}
