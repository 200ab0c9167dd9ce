using Sitewire.Config.WgQuick;
using Sitewire.Planner.Expected;
using Sitewire.Planner.Layout;

namespace Sitewire.Host.Lab;

/// <summary>
/// The physical shape of a lab, independent of how it was derived: the namespaces (hosts), the veth wires
/// between them, the WireGuard nodes brought up with wg-quick, the services to answer and the flows to try.
/// <see cref="TopologyBlueprint"/> derives one from a topology and its plan; tests may write one by hand.
/// <c>Names</c> are DNS names (endpoint host names) the lab answers from /etc/netns/NS/hosts in every namespace.
/// </summary>
public sealed record LabBlueprint(
    string Name,
    IReadOnlyList<LabHost> Hosts,
    IReadOnlyList<LabWire> Wires,
    IReadOnlyList<LabTunnel> Tunnels,
    IReadOnlyList<LabService> Services,
    IReadOnlyList<LabFlow> Flows,
    IReadOnlyDictionary<string, string> Names)
{
    /// <summary>Each node's uplink MTU and ICMP hardening, put in place after the wires (<see cref="LabPathMtu"/>).</summary>
    public IReadOnlyList<LabNodeMtu> NodeMtus { get; init; } = [];

    /// <summary>The nodes that start with Docker's recorded ruleset (<see cref="LabDocker"/>).</summary>
    public IReadOnlyList<string> DockerNodes { get; init; } = [];

    /// <summary>The failover agents and drill of a hub with several relays (<see cref="LabFailover"/>); null without.</summary>
    public LabFailover? Failover { get; init; }

    public LabHost Host(string name) =>
        Hosts.FirstOrDefault(h => h.Name == name) ?? throw new KeyNotFoundException($"lab has no host named '{name}'");
}

public enum LabRole
{
    Node,
    LanHost,
    LanRouter,
    NatRouter,
    Internet,
    Switch,
}

/// <summary>
/// One network namespace. A <see cref="LabRole.Switch"/> bridges all its interfaces into `br0`.
/// <see cref="Sysctls"/> are written under /proc/sys (e.g. "net/ipv4/ip_forward" = "1");
/// <see cref="NftScript"/>, when set, is loaded with `nft -f -` after addresses and routes; then
/// <see cref="Firewall"/> is put in place, before any `wg-quick up`.
/// </summary>
public sealed record LabHost(
    string Name,
    LabRole Role,
    IReadOnlyList<LabRoute> Routes,
    IReadOnlyDictionary<string, string> Sysctls,
    string? NftScript = null,
    StartingFirewall Firewall = StartingFirewall.Empty);

public sealed record LabInterface(string Host, string Name, IReadOnlyList<string> Addresses);

public sealed record LabWire(LabInterface A, LabInterface B);

/// <summary>A route in a host: <c>Destination</c> is a prefix or "default"; <c>Via</c> a gateway; <c>OnLink</c> for /32 uplinks.</summary>
public sealed record LabRoute(string Destination, string? Via, string? Device, bool OnLink = false);

/// <summary>
/// A node's WireGuard interface, brought up with `wg-quick up DIR/InterfaceName.conf`, the file written from
/// <c>Config</c> (the planner's structured output). <c>Dialed</c> nodes (with a public endpoint) come up first, so the first handshakes of the
/// others reach them instead of waiting out a retry. <c>Expected</c>: the plan's expected state of the node, installed where
/// `sitewire doctor` inside the node looks for it (<see cref="LabTunnels"/>).
/// </summary>
public sealed record LabTunnel(string Host, string InterfaceName, WgQuickConfig Config, bool Dialed, ExpectedState Expected);

public enum LabProtocol
{
    Tcp,
    Http,
    Icmp,
    Udp,
}

public sealed record LabService(string Host, string Address, int Port, LabProtocol Protocol);

/// <summary>
/// A flow to try from a host. <c>ExpectAllowed</c> is the topology's intent (allow/deny); <c>PredictedAllowed</c>
/// and <c>Prediction</c> come from the verifier; <c>PredictedRefused</c>: verify predicts the destination refuses it (a TCP
/// reset, an ICMP port unreachable) after the network let it through. <c>ProbeMtu</c>: the path MTU verify predicts for a flow
/// whose packets cross both ways; then the lab also tries full-size packets (<see cref="FullSizeProbe"/>), by don't-fragment
/// pings unless <c>EchoBlocked</c> (verify predicts the network stops echoes between the ends, as a flow policy may).
/// </summary>
public sealed record LabFlow(string Name, string FromHost, string ToAddress, int Port, LabProtocol Protocol, bool ExpectAllowed, bool PredictedAllowed, string Prediction,
    bool PredictedRefused = false, int? ProbeMtu = null, bool EchoBlocked = false);
