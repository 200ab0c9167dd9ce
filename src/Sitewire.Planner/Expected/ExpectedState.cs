using System.Net;
using Sitewire.Config.Topology;
using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Expected;

/// <summary>
/// What the plan expects of one node's WireGuard interface, as `sitewire doctor` checks it: the file `plan` writes as
/// <c>NODE/sitewire-IFACE.json</c> (installed as /etc/wireguard/sitewire-IFACE.json), and what `doctor --topology --node`
/// derives in memory. Built in one place (<see cref="ExpectedStates.For"/>); the file's fields are documented in
/// docs/expected-state.md. It holds public keys only, never a private or preshared key.
/// <see cref="Table"/>: wg-quick's <c>Table</c> (null: it routes every AllowedIP through the interface). <see cref="FailoverCarried"/>: prefixes the
/// failover agent moves between the relays' peers (each on exactly one of them). <see cref="Docker"/>: the node runs Docker; <see cref="DockerUser"/>: the plan puts its forward accepts in DOCKER-USER. <see cref="FlowPolicy"/>: null without
/// <c>network.policy: flows</c>.
/// </summary>
public sealed record ExpectedState(
    int Version,
    string Node,
    string Interface,
    RuleBackend Backend,
    IReadOnlyList<string> Addresses,
    int? ListenPort,
    int? Mtu,
    string? Table,
    IReadOnlyList<ExpectedPeer> Peers,
    ExpectedLan? Lan,
    bool Forwards,
    bool BehindNat,
    IReadOnlyList<ExpectedMasquerade> Masquerade,
    IReadOnlyList<ExpectedPrefixMap> PrefixMaps,
    IReadOnlyList<SysctlSetting> Sysctls,
    bool MssClamp,
    bool Docker,
    bool DockerUser,
    IReadOnlyList<ExpectedFlowRule>? FlowPolicy,
    IReadOnlyList<IPNetwork> FailoverCarried);

/// <summary>A planned peer; <see cref="PublicKey"/> is null when it is not known (an in-memory plan of a node without a declared key).</summary>
public sealed record ExpectedPeer(string Name, string? PublicKey, IReadOnlyList<IPNetwork> AllowedIps, string? Endpoint, int? PersistentKeepalive);

/// <summary>The node's LAN: its interface, its prefixes, and whether tunnel traffic into it is masqueraded (<c>nat: masquerade</c>).</summary>
public sealed record ExpectedLan(string Interface, IReadOnlyList<IPNetwork> Prefixes, bool Masquerade);

/// <summary>Source NAT (masquerade) of packets from <see cref="Source"/> leaving <see cref="OutInterface"/>.</summary>
public sealed record ExpectedMasquerade(string OutInterface, IPNetwork Source);

/// <summary>A LAN subnet translated 1:1 at the tunnel (<c>mapped_as</c>).</summary>
public sealed record ExpectedPrefixMap(IPNetwork Real, IPNetwork Mapped);

/// <summary>One rule of the enforced flow policy, in order; <see cref="Location"/> is the flow's <c>file:line:col</c> in the topology.</summary>
public sealed record ExpectedFlowRule(FlowExpectation Expect, IReadOnlyList<IPNetwork> Sources, IReadOnlyList<IPNetwork> Destinations, TransportProtocol Protocol, int? Port, string Location);
