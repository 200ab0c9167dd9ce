using System.Net;
using Sitewire.Config.Topology;
using Sitewire.Crypto;

namespace Sitewire.Planner.Import;

/// <summary>
/// A node as far as its own config and its peers' configs tell: null means "not inferable", and becomes a TODO in the
/// YAML (<see cref="OverlayAddressV6"/> null: the config has no IPv6 Address). <see cref="SourceFile"/> is the config it
/// came from, null for a peer that has no file of its own (a phone whose config lives on the phone): it is known from the
/// entries others have for it. <see cref="Overrides"/> holds what its deployed config says beyond the design (keepalive,
/// AllowedIPs differences, drop rules, hook lines kept verbatim); <see cref="Dns"/> its <c>DNS =</c> servers.
/// <see cref="LanSubnets"/> are the real prefixes; <see cref="MappedAs"/> the mapped prefix of each one its hooks
/// translate 1:1 (real → mapped), which is what the other nodes route.
/// </summary>
public sealed record ImportedNode(
    string Name,
    string? SourceFile,
    Key PublicKey,
    IPAddress OverlayAddress,
    IPAddress? OverlayAddressV6,
    NodeRole Role,
    PublicEndpoint? Endpoint,
    bool BehindNat,
    IReadOnlyList<IPNetwork> LanSubnets,
    string? LanInterface,
    NatMode? Nat,
    string? PublicInterface,
    NodeOverrides Overrides,
    IReadOnlyList<string> Dns,
    IReadOnlyDictionary<IPNetwork, IPNetwork>? MappedAs = null)
{
    /// <summary>The LAN subnet of <paramref name="real"/>, with its mapped prefix when it has one.</summary>
    public LanSubnet Subnet(IPNetwork real) => new(real, null, MappedAs is not null && MappedAs.TryGetValue(real, out var mapped) ? mapped : null);
}
