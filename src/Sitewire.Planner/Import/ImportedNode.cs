using System.Net;
using Sitewire.Config.Topology;
using Sitewire.Crypto;

namespace Sitewire.Planner.Import;

/// <summary>
/// A node as far as its own config and its peers' configs tell: null means "not inferable", and
/// becomes a TODO in the YAML (<see cref="OverlayAddressV6"/> null: the config has no IPv6 Address).
/// <see cref="FullTunnel"/>: the config routes a default route (0.0.0.0/0 or ::/0) into the tunnel,
/// which a topology does not describe. <see cref="SourceFile"/> is the config it came from.
/// </summary>
public sealed record ImportedNode(
    string Name,
    string SourceFile,
    Key PublicKey,
    IPAddress OverlayAddress,
    IPAddress? OverlayAddressV6,
    NodeRole Role,
    PublicEndpoint? Endpoint,
    bool BehindNat,
    bool FullTunnel,
    IReadOnlyList<IPNetwork> LanSubnets,
    string? LanInterface,
    NatMode? Nat);
