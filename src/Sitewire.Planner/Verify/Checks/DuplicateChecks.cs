using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Verify.Checks;

/// <summary>Two nodes with the same overlay address, public key or endpoint (the seed's copy-pasted office config).</summary>
internal static class DuplicateChecks
{
    public static IEnumerable<Finding> Run(NetworkPlan plan)
    {
        var topology = plan.Topology;
        foreach (var group in topology.Nodes.GroupBy(n => n.OverlayAddress).Where(g => g.Count() > 1))
        {
            var first = group.First();
            foreach (var node in group.Skip(1))
            {
                yield return new Finding(Severity.Error, "duplicate-overlay-address", node.Name, FieldPaths.Node(topology, node, "address"), node.Location,
                    $"{node.Name} has overlay address {node.OverlayAddress}, as {first.Name} does: packets for it reach only one of them",
                    $"give {node.Name} its own address in {topology.Network.Overlay} (or omit 'address' to have one assigned)");
            }
        }
        foreach (var group in plan.Nodes.GroupBy(n => n.PublicKey.ToBase64(), StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var first = group.First();
            foreach (var nodePlan in group.Skip(1))
            {
                yield return new Finding(Severity.Error, "duplicate-public-key", nodePlan.Name, FieldPaths.Node(topology, nodePlan.Node, "public_key"), nodePlan.Node.Location,
                    $"{nodePlan.Name} has the public key of {first.Name}: peers cannot tell them apart and the second steals the first's AllowedIPs",
                    $"generate a key on {nodePlan.Name} (sitewire genkey) and put its public key in the topology");
            }
        }
        foreach (var group in topology.Nodes.Where(n => n.Endpoint is not null).GroupBy(n => n.Endpoint!.ToString(), StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            var first = group.First();
            foreach (var node in group.Skip(1))
            {
                yield return new Finding(Severity.Error, "duplicate-endpoint", node.Name, FieldPaths.Node(topology, node, "endpoint"), node.Location,
                    $"{node.Name} has endpoint {node.Endpoint}, as {first.Name} does: handshakes for one reach the other",
                    $"give {node.Name} its own public address or port");
            }
        }
    }
}
