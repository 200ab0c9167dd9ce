using System.Net;
using Sitewire.Config.Topology;
using Sitewire.Planner.Model;
using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Verify.Checks;

/// <summary>The overlay overlapping a site LAN, and LAN subnets of two sites overlapping (routes become ambiguous).</summary>
internal static class OverlapChecks
{
    private sealed record Subnet(Node Node, int Index, IPNetwork Network, Prefix? V4);

    public static IEnumerable<Finding> Run(NetworkPlan plan)
    {
        var topology = plan.Topology;
        var overlay = topology.Network.Overlay;
        var subnets = topology.Nodes
            .SelectMany(node => (node.Lan?.Subnets ?? []).Select((subnet, index) =>
                new Subnet(node, index, subnet.Prefix, Prefix.TryFrom(subnet.Prefix, out var v4) ? v4 : null)))
            .ToList();
        var overlaySubnet = new Subnet(topology.Nodes[0], -1, overlay, Prefix.TryFrom(overlay, out var overlayV4) ? overlayV4 : null);
        foreach (var subnet in subnets.Where(s => Overlap(s, overlaySubnet)))
        {
            yield return new Finding(Severity.Error, "overlay-overlaps-lan", subnet.Node.Name, FieldPaths.Subnet(topology, subnet.Node, subnet.Index), subnet.Node.Location,
                $"{subnet.Node.Name}'s LAN {subnet.Network} overlaps the overlay {overlay}: tunnel addresses and LAN hosts collide",
                "choose an overlay prefix that no site LAN uses (network.overlay)");
        }
        for (var i = 0; i < subnets.Count; i++)
        {
            for (var j = i + 1; j < subnets.Count; j++)
            {
                var (first, second) = (subnets[i], subnets[j]);
                if (first.Node != second.Node && Overlap(first, second))
                {
                    yield return new Finding(Severity.Error, "lan-overlap", second.Node.Name, FieldPaths.Subnet(topology, second.Node, second.Index), second.Node.Location,
                        $"{second.Node.Name}'s LAN {second.Network} overlaps {first.Node.Name}'s LAN {first.Network}: no node can route to both",
                        "renumber one of the LANs, or NAT one site's LAN to a distinct prefix");
                }
            }
        }
    }

    /// <summary>IPv4 pairs compare as integers: all pairs of a 1,000-site mesh are half a million comparisons.</summary>
    private static bool Overlap(Subnet a, Subnet b)
    {
        if (a.V4 is { } first && b.V4 is { } second)
        {
            return first.Overlaps(second);
        }
        return a.Network.BaseAddress.AddressFamily == b.Network.BaseAddress.AddressFamily
            && (a.Network.Contains(b.Network.BaseAddress) || b.Network.Contains(a.Network.BaseAddress));
    }
}
