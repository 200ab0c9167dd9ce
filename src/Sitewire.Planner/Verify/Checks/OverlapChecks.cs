using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Verify.Checks;

/// <summary>The overlay overlapping a site LAN, and LAN subnets of two sites overlapping (routes become ambiguous).</summary>
internal static class OverlapChecks
{
    public static IEnumerable<Finding> Run(NetworkPlan plan)
    {
        var topology = plan.Topology;
        var overlay = topology.Network.Overlay;
        var subnets = topology.Nodes
            .SelectMany(node => (node.Lan?.Subnets ?? []).Select((subnet, index) => (Node: node, Index: index, subnet.Prefix)))
            .ToList();
        foreach (var (node, index, prefix) in subnets.Where(s => Overlap(s.Prefix, overlay)))
        {
            yield return new Finding(Severity.Error, "overlay-overlaps-lan", node.Name, FieldPaths.Subnet(topology, node, index), node.Location,
                $"{node.Name}'s LAN {prefix} overlaps the overlay {overlay}: tunnel addresses and LAN hosts collide",
                "choose an overlay prefix that no site LAN uses (network.overlay)");
        }
        for (var i = 0; i < subnets.Count; i++)
        {
            for (var j = i + 1; j < subnets.Count; j++)
            {
                var (first, _, firstPrefix) = subnets[i];
                var (second, secondIndex, secondPrefix) = subnets[j];
                if (first != second && Overlap(firstPrefix, secondPrefix))
                {
                    yield return new Finding(Severity.Error, "lan-overlap", second.Name, FieldPaths.Subnet(topology, second, secondIndex), second.Location,
                        $"{second.Name}'s LAN {secondPrefix} overlaps {first.Name}'s LAN {firstPrefix}: no node can route to both",
                        $"renumber one of the LANs, or NAT one site's LAN to a distinct prefix");
                }
            }
        }
    }

    private static bool Overlap(System.Net.IPNetwork a, System.Net.IPNetwork b) =>
        a.BaseAddress.AddressFamily == b.BaseAddress.AddressFamily && (a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress));
}
