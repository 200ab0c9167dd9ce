using Sitewire.Config.Diagnostics;

namespace Sitewire.Config.Topology;

/// <summary>
/// A whole site-to-site design, as loaded and validated from a topology YAML file by
/// <see cref="TopologyLoader"/>. Lists keep the order of the file; names are unique within
/// nodes and hosts together; every reference (site, hub, flow ends) resolves.
/// </summary>
public sealed record Topology(
    NetworkSettings Network,
    IReadOnlyList<Node> Nodes,
    IReadOnlyList<LanHost> Hosts,
    IReadOnlyList<Flow> Flows,
    string SourceFile)
{
    /// <summary>The <c>flows:</c> entries as filter rules, in file order; enforced when <c>network.policy</c> is <c>flows</c>.</summary>
    public IReadOnlyList<FlowRule> FlowRules { get; init; } = [];

    public Node? FindNode(string name) => Nodes.FirstOrDefault(node => node.Name == name);

    public LanHost? FindHost(string name) => Hosts.FirstOrDefault(host => host.Name == name);

    public Node NodeNamed(string name) =>
        FindNode(name) ?? throw new KeyNotFoundException($"no node named '{name}'");

    /// <summary>The relay all traffic goes through in a hub, or the relay that carries mesh pairs no side can reach.</summary>
    public Node? Relay =>
        Network.HubRelay is { } hub ? FindNode(hub) : Nodes.FirstOrDefault(node => node.Role == NodeRole.Relay);

    /// <summary>
    /// A hub's relays in order of preference: the one <see cref="Relay"/>, or each relay `hub: [..]` names. Sites peer
    /// with each and a `sitewire failover` agent on each site moves the carried prefixes to the first that answers.
    /// </summary>
    public IReadOnlyList<Node> HubRelays =>
        Network.Shape != NetworkShape.Hub ? []
        : Network.HubRelays.Count > 1 ? [.. Network.HubRelays.Select(NodeNamed)]
        : Relay is { } relay ? [relay] : [];

    /// <summary>Whether sites fail over between several relays (docs/failover.md).</summary>
    public bool HasFailover => HubRelays.Count > 1;

    public IEnumerable<LanHost> HostsAt(string nodeName) => Hosts.Where(host => host.Site == nodeName);

    public SourceLocation Location => new(SourceFile, 1, 1);
}
