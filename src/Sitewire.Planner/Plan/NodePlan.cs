using Sitewire.Config.Failover;
using Sitewire.Config.Topology;
using Sitewire.Config.WgQuick;
using Sitewire.Crypto;

namespace Sitewire.Planner.Plan;

/// <summary>
/// Everything planned for one node. <see cref="Config"/> is the complete wg-quick file content
/// (its PostUp/PostDown are <see cref="Hooks"/>, preceded by the key-loading line for node-local
/// keys); each peer's <see cref="WgQuickPeer.Name"/> is the peer node's name. <see cref="Rules"/>
/// is the structured form of the hooks, for the verifier and the doctor. <see cref="Failover"/> is the failover agent's
/// configuration on a node that peers with several relays.
/// </summary>
public sealed record NodePlan(
    Node Node,
    Key PublicKey,
    WgQuickConfig Config,
    NodeRules Rules,
    RuleBackend Backend,
    RenderedHooks Hooks,
    string? PrivateKeyPath)
{
    public string Name => Node.Name;

    public FailoverSettings? Failover { get; init; }
}
