using Sitewire.Config.Topology;
using Sitewire.Config.WgQuick;
using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Verify.Checks;

/// <summary>
/// What a node keeps of a deployed config beyond the design (<see cref="NodeOverrides"/>), said out loud: an AllowedIPs
/// prefix left out of an entry (naming who still routes it to the node), one added, a change for a node it does not
/// peer with, and hook lines verify does not model. Flows through them are walked as planned, so their effect shows there.
/// </summary>
internal static class KeptConfigCheck
{
    public static IEnumerable<Finding> Run(NetworkPlan plan)
    {
        foreach (var node in plan.Topology.Nodes)
        {
            var kept = node.Kept;
            IReadOnlyList<WgQuickPeer> peers = kept.AllowedIps.Count == 0 ? [] : plan.Nodes.Single(planned => planned.Name == node.Name).Config.Peers;
            for (var index = 0; index < kept.AllowedIps.Count; index++)
            {
                var change = kept.AllowedIps[index];
                var field = FieldPaths.Node(plan.Topology, node, $"allowed_ips[{index}]");
                if (!peers.Any(peer => peer.Name == change.Peer))
                {
                    yield return new Finding(Severity.Error, "allowed-ips-no-peer", node.Name, field + ".peer", change.Location,
                        $"{node.Name} does not peer with {change.Peer} in this design, so its AllowedIPs change for {change.Peer} applies to nothing",
                        $"name a peer of {node.Name} ({string.Join(", ", peers.Select(peer => peer.Name))})");
                    continue;
                }
                foreach (var prefix in change.Missing)
                {
                    var routers = plan.Nodes.Where(other => other.Name != node.Name
                        && other.Config.Peers.Any(peer => peer.Name == node.Name && peer.AllowedIps.Contains(prefix))).Select(other => other.Name).ToList();
                    var who = routers.Count == 0 ? $"{node.Name}'s entry for {change.Peer} leaves out {prefix}" : $"{Names(routers)} route {prefix} to {node.Name}, but {node.Name} has no peer for it";
                    yield return new Finding(Severity.Warning, "allowed-ips-missing", node.Name, field + ".missing", change.Location,
                        $"{who}: the design routes it to {change.Peer}, the deployed entry does not, so {node.Name} sends nothing for {prefix} into the tunnel",
                        $"add {prefix} to the AllowedIPs of {change.Peer} on {node.Name} (drop it from {field}.missing)");
                }
                foreach (var prefix in change.Extra)
                {
                    yield return new Finding(Severity.Info, "allowed-ips-extra", node.Name, field + ".extra", change.Location,
                        $"{node.Name} routes {prefix} to {change.Peer} beyond the design{(prefix.PrefixLength == 0 ? " (a full tunnel)" : "")}",
                        $"keep it if meant, else drop it from {field}.extra");
                }
            }
            var hooks = kept.PostUp.Select(line => $"PostUp = {line}").Concat(kept.PostDown.Select(line => $"PostDown = {line}")).ToList();
            if (hooks.Count > 0)
            {
                yield return new Finding(Severity.Warning, "hook-not-modelled", node.Name, FieldPaths.Node(plan.Topology, node, kept.PostUp.Count > 0 ? "post_up" : "post_down"), node.Location,
                    $"{node.Name} runs {hooks.Count} hook line{(hooks.Count == 1 ? "" : "s")} verify does not model, so flows through it are walked without {(hooks.Count == 1 ? "it" : "them")}: {string.Join(" | ", hooks)}",
                    "express what they do as topology facts (drop:, allowed_ips:, lan:, nat:), or check those flows in the lab");
            }
        }
    }

    private static string Names(List<string> names) =>
        names.Count == 1 ? names[0] : $"{string.Join(", ", names.Take(names.Count - 1))} and {names[^1]}";
}
