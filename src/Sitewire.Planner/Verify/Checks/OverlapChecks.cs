using System.Net;
using Sitewire.Config.Topology;
using Sitewire.Planner.Model;
using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Verify.Checks;

/// <summary>
/// The overlay overlapping a site LAN, and LAN subnets of two sites overlapping (routes become ambiguous). A mapped subnet
/// (<c>mapped_as</c>) is routed by its mapped prefix, which the loader keeps free, so it collides with no other: of sites
/// whose LANs overlap, all but one must be mapped.
/// </summary>
internal static class OverlapChecks
{
    private sealed record Subnet(Node Node, int Index, Prefix Prefix, bool Mapped);

    public static IEnumerable<Finding> Run(NetworkPlan plan)
    {
        var topology = plan.Topology;
        var subnets = topology.Nodes
            .SelectMany(node => (node.Lan?.Subnets ?? []).Select((subnet, index) => new Subnet(node, index, Prefix.From(subnet.Prefix), subnet.MappedAs is not null)))
            .ToList();
        foreach (var (overlay, field) in Overlays(topology.Network))
        {
            var overlayPrefix = Prefix.From(overlay);
            foreach (var subnet in subnets.Where(s => s.Prefix.Overlaps(overlayPrefix)))
            {
                yield return new Finding(Severity.Error, "overlay-overlaps-lan", subnet.Node.Name, FieldPaths.Subnet(topology, subnet.Node, subnet.Index), subnet.Node.Location,
                    $"{subnet.Node.Name}'s LAN {subnet.Prefix} overlaps the overlay {overlay}: tunnel addresses and LAN hosts collide",
                    $"choose an overlay prefix that no site LAN uses (network.{field})");
            }
        }
        for (var i = 0; i < subnets.Count; i++)
        {
            for (var j = i + 1; j < subnets.Count; j++)
            {
                var (first, second) = (subnets[i], subnets[j]);
                if (first.Node == second.Node || first.Mapped || second.Mapped || !first.Prefix.Overlaps(second.Prefix))
                {
                    continue;
                }
                if (first.Prefix.Length != second.Prefix.Length)
                {
                    yield return Nested(topology, first.Prefix.Length > second.Prefix.Length ? (first, second) : (second, first));
                }
                else
                {
                    yield return new Finding(Severity.Error, "lan-overlap", second.Node.Name, FieldPaths.Subnet(topology, second.Node, second.Index), second.Node.Location,
                        $"{second.Node.Name}'s LAN {second.Prefix} overlaps {first.Node.Name}'s LAN {first.Prefix}: no node can route to both",
                        $"map {second.Node.Name}'s LAN to a free prefix of the same length (lan.mapped_as: a /{second.Prefix.Length} no LAN or overlay uses, translated 1:1 on {second.Node.Name}), or renumber one of the LANs");
                }
            }
        }
    }

    /// <summary>
    /// One site's prefix inside another's (a 10.0.0.0/8 summary and a 10.20.0.0/16 branch): every node, the summary's
    /// own node too, routes by longest prefix, so the inner prefix goes to its site and the rest of the summary to the
    /// other; what breaks is only an address of the inner prefix on the summary's side.
    /// </summary>
    private static Finding Nested(Topology topology, (Subnet Inner, Subnet Outer) pair)
    {
        var (inner, outer) = pair;
        return new Finding(Severity.Warning, "lan-nested", inner.Node.Name, FieldPaths.Subnet(topology, inner.Node, inner.Index), inner.Node.Location,
            $"{inner.Node.Name}'s LAN {inner.Prefix} lies inside {outer.Node.Name}'s LAN {outer.Prefix}: by longest-prefix match every node, {outer.Node.Name} too, sends {inner.Prefix} to {inner.Node.Name} and the rest of {outer.Prefix} to {outer.Node.Name}, so an address of {inner.Prefix} on {outer.Node.Name}'s side is unreachable through the tunnel",
            $"keep {inner.Prefix} out of {outer.Node.Name}'s networks, or list {outer.Node.Name}'s subnets without it");
    }

    private static IEnumerable<(IPNetwork Overlay, string Field)> Overlays(NetworkSettings network)
    {
        yield return (network.Overlay, "overlay");
        if (network.OverlayV6 is { } v6)
        {
            yield return (v6, "overlay_v6");
        }
    }
}
