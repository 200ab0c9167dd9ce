using Sitewire.Planner.Model;
using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Verify.Checks;

/// <summary>
/// A node that forwards LAN TCP into the tunnel without an MSS clamp (<c>mss_clamp: false</c>): LAN hosts at ethernet's
/// MTU send segments larger than the tunnel's, which pass only by path MTU discovery (a warning); when the node also drops
/// the ICMP errors that discovery needs (<c>drops_icmp: true</c>), every such segment is lost and TCP stalls after the
/// handshake (an error: "ping works, HTTPS stalls").
/// </summary>
internal static class MssClampCheck
{
    public static IEnumerable<Finding> Run(NetworkPlan plan)
    {
        var tunnelMtu = plan.Topology.Network.Mtu;
        foreach (var nodePlan in plan.Nodes.Where(n => n.Node.Lan is not null && n.Rules.Clamp is null && tunnelMtu < HostInterface.EthernetMtu))
        {
            var node = nodePlan.Node;
            var segment = $"full-size TCP segments of its LAN hosts ({HostInterface.EthernetMtu} bytes at MTU {HostInterface.EthernetMtu}) exceed the tunnel MTU {tunnelMtu}";
            var fix = $"remove `mss_clamp: false` from {node.Name} and re-plan (the plan then clamps: {ClampCommand(nodePlan, plan)})";
            yield return node.DropsIcmp
                ? new Finding(Severity.Error, "pmtu-black-hole", node.Name, FieldPaths.Node(plan.Topology, node, "mss_clamp"), node.Location,
                    $"{node.Name} forwards LAN TCP into the tunnel without an MSS clamp and drops the ICMP fragmentation-needed its LAN hosts need: {segment}, are lost every time, and TCP connections stall after the handshake",
                    fix + $", or let {node.Name} send ICMP errors (drops_icmp)")
                : new Finding(Severity.Warning, "mss-clamp-missing", node.Name, FieldPaths.Node(plan.Topology, node, "mss_clamp"), node.Location,
                    $"{node.Name} forwards LAN TCP into the tunnel without an MSS clamp: {segment} and pass only by path MTU discovery, which fails wherever ICMP is filtered",
                    fix);
        }
    }

    /// <summary>The clamp's PostUp lines as the plan would render them for the node, with the tunnel's name for %i.</summary>
    private static string ClampCommand(NodePlan nodePlan, NetworkPlan plan)
    {
        var tunnel = plan.InterfaceName;
        var rules = new NodeRules([], [], [], new FirewallPlan(null, [], null, []), new MssClamp(tunnel, plan.Topology.Network.Mtu));
        var hooks = nodePlan.Backend == RuleBackend.Iptables ? IptablesRenderer.Render(rules, tunnel, hasIpv6: false) : NftablesRenderer.Render(rules, tunnel, hasIpv6: false);
        return string.Join("; ", hooks.PostUp).Replace("%i", tunnel, StringComparison.Ordinal);
    }
}
