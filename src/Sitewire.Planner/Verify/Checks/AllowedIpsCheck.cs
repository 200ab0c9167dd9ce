using Sitewire.Planner.Model;
using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Verify.Checks;

/// <summary>
/// One prefix in the AllowedIPs of two peers on one node: WireGuard silently keeps it for the last peer only. The
/// finding points at the field of the node that claimed it second (its address or its LAN subnets).
/// </summary>
internal static class AllowedIpsCheck
{
    public static IEnumerable<Finding> Run(NetworkPlan plan)
    {
        var owners = new Dictionary<Prefix, string>();
        foreach (var nodePlan in plan.Nodes)
        {
            owners.Clear();
            foreach (var peer in nodePlan.Config.Peers)
            {
                var name = peer.Name ?? peer.PublicKey.ToBase64();
                foreach (var prefix in peer.AllowedIps)
                {
                    var id = Prefix.From(prefix);
                    if (owners.TryGetValue(id, out var earlier) && earlier != name)
                    {
                        var culprit = plan.Topology.FindNode(name) ?? nodePlan.Node;
                        var field = prefix.PrefixLength == 32 && prefix.BaseAddress.Equals(culprit.OverlayAddress) ? "address" : "lan.subnets";
                        yield return new Finding(Severity.Error, "allowed-ips-overlap", nodePlan.Name, FieldPaths.Node(plan.Topology, culprit, field), culprit.Location,
                            $"on {nodePlan.Name}, {prefix} is in the AllowedIPs of peers {earlier} and {name}: WireGuard moves it to {name} and {earlier} loses it",
                            $"route {prefix} through one peer only (two sites must not claim the same subnet)");
                    }
                    owners[id] = name;
                }
            }
        }
    }
}
