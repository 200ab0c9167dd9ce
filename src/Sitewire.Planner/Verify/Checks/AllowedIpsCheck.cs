using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Verify.Checks;

/// <summary>One prefix in the AllowedIPs of two peers on one node: WireGuard silently keeps it for the last peer only.</summary>
internal static class AllowedIpsCheck
{
    public static IEnumerable<Finding> Run(NetworkPlan plan)
    {
        foreach (var nodePlan in plan.Nodes)
        {
            var owners = new Dictionary<System.Net.IPNetwork, string>();
            foreach (var peer in nodePlan.Config.Peers)
            {
                var name = peer.Name ?? peer.PublicKey.ToBase64();
                foreach (var prefix in peer.AllowedIps)
                {
                    if (owners.TryGetValue(prefix, out var earlier) && earlier != name)
                    {
                        yield return new Finding(Severity.Error, "allowed-ips-overlap", nodePlan.Name, FieldPaths.Node(plan.Topology, nodePlan.Node, "lan.subnets"), nodePlan.Node.Location,
                            $"on {nodePlan.Name}, {prefix} is in the AllowedIPs of peers {earlier} and {name}: WireGuard moves it to {name} and {earlier} loses it",
                            $"route {prefix} through one peer only (two sites must not claim the same subnet)");
                    }
                    owners[prefix] = name;
                }
            }
        }
    }
}
