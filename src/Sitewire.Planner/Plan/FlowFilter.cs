using Sitewire.Config.Topology;

namespace Sitewire.Planner.Plan;

/// <summary>
/// The enforced flow policy on one forwarding node (<c>network.policy: flows</c>): a new connection arriving from
/// <see cref="TunnelInterface"/> and forwarded passes only when one of <see cref="Rules"/> accepts it; replies of
/// tracked connections pass (conntrack established/related), everything else from the tunnel is dropped. Rules are in
/// order: every deny flow (a drop, so a deny wins over an allow group that covers it), then every allow flow, each
/// limited to the destinations this node forwards to.
/// </summary>
public sealed record FlowFilter(string TunnelInterface, IReadOnlyList<FlowRule> Rules)
{
    /// <summary>The iptables chain (and comment) the filter lives in, named with wg-quick's <c>%i</c>.</summary>
    public const string IptablesChain = "sitewire-%i";

    /// <summary>The nft chain the filter lives in, in the node's <c>inet sitewire_IFACE</c> table.</summary>
    public const string NftChain = "flow_policy";
}
