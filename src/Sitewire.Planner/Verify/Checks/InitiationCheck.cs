using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Verify.Checks;

/// <summary>A peer pair where neither side has an endpoint for the other: no handshake can ever start.</summary>
internal static class InitiationCheck
{
    public static IEnumerable<Finding> Run(NetworkPlan plan)
    {
        var byName = plan.Nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        var reported = new HashSet<(string, string)>();
        foreach (var nodePlan in plan.Nodes)
        {
            foreach (var peer in nodePlan.Config.Peers)
            {
                if (peer.Name is null || !byName.TryGetValue(peer.Name, out var other) || peer.Endpoint is not null)
                {
                    continue;
                }
                var back = other.Config.Peers.FirstOrDefault(p => p.Name == nodePlan.Name);
                var pair = string.CompareOrdinal(nodePlan.Name, other.Name) < 0 ? (nodePlan.Name, other.Name) : (other.Name, nodePlan.Name);
                if (back?.Endpoint is null && reported.Add(pair))
                {
                    yield return new Finding(Severity.Error, "no-initiator", nodePlan.Name, FieldPaths.Node(plan.Topology, nodePlan.Node, "endpoint"), nodePlan.Node.Location,
                        $"{nodePlan.Name} and {other.Name} are peers but neither has an endpoint for the other: no handshake can start",
                        $"give {nodePlan.Name} or {other.Name} a public endpoint, or route the pair through a relay");
                }
            }
        }
    }
}
