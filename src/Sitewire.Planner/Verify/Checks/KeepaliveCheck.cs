using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Verify.Checks;

/// <summary>
/// A node behind NAT, or one nobody can dial, that sends no keepalive to the peers it dials: its NAT mapping expires,
/// or its peers cannot send to it until it speaks first.
/// </summary>
internal static class KeepaliveCheck
{
    public static IEnumerable<Finding> Run(NetworkPlan plan)
    {
        foreach (var nodePlan in plan.Nodes.Where(n => n.Node.NeedsKeepalive))
        {
            var silent = nodePlan.Config.Peers.Where(p => p.Endpoint is not null && (p.PersistentKeepalive ?? 0) == 0).Select(p => p.Name ?? "?").ToList();
            if (silent.Count > 0)
            {
                yield return new Finding(Severity.Warning, "nat-without-keepalive", nodePlan.Name, "network.persistent_keepalive", nodePlan.Node.Location,
                    nodePlan.Node.BehindNat
                        ? $"{nodePlan.Name} is behind NAT and sends no PersistentKeepalive to {string.Join(", ", silent)}: once idle, its NAT mapping expires and traffic towards it stops"
                        : $"{nodePlan.Name} has no endpoint and sends no PersistentKeepalive to {string.Join(", ", silent)}: they cannot send to it until it speaks first",
                    "set network.persistent_keepalive (25 s is usual)");
            }
        }
    }
}
