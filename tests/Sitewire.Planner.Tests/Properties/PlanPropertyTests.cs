using System.Net;
using CsCheck;
using Sitewire.Config.Topology;
using Sitewire.Config.WgQuick;
using Sitewire.Planner.Import;
using Sitewire.Planner.Plan;
using Sitewire.Planner.Tests.Plan;

namespace Sitewire.Planner.Tests.Properties;

public sealed class PlanPropertyTests
{
    [Fact]
    public void Every_pair_of_peers_is_consistent_covers_the_other_side_and_no_node_has_overlapping_allowed_ips()
    {
        RandomDesign.Gen.Sample(design =>
        {
            var plan = Plan(design.Yaml());
            foreach (var node in plan.Nodes)
            {
                AssertNoOverlaps(node);
                foreach (var peer in node.Config.Peers)
                {
                    var other = plan.NodeNamed(peer.Name!);
                    Assert.Equal(other.PublicKey, peer.PublicKey);
                    var back = Assert.Single(other.Config.Peers, entry => entry.Name == node.Name);
                    Assert.Equal(node.PublicKey, back.PublicKey);
                }
                foreach (var target in plan.Nodes.Where(target => target.Name != node.Name))
                {
                    foreach (var prefix in PeerLinks.HostPrefixes(target.Node).Concat(target.Node.LanPrefixes))
                    {
                        var via = Assert.Single(node.Config.Peers, peer => peer.AllowedIps.Any(allowed => Covers(allowed, prefix)));
                        if (via.Name != target.Name)
                        {
                            var relay = plan.Topology.Relay!;
                            Assert.Equal(relay.Name, via.Name);
                            Assert.Contains(plan.NodeNamed(relay.Name).Config.Peers, peer => peer.Name == target.Name && peer.AllowedIps.Any(allowed => Covers(allowed, prefix)));
                        }
                    }
                }
            }
        }, iter: 150);
    }

    [Fact]
    public void The_plan_does_not_depend_on_the_order_of_the_nodes_in_the_file()
    {
        RandomDesign.Gen.Sample(design =>
        {
            var ordered = Plan(design.Yaml());
            var shuffled = Plan(design.Yaml(shuffled: true));
            foreach (var node in ordered.Nodes)
            {
                var other = shuffled.NodeNamed(node.Name);
                Assert.Equal(node.Node.OverlayAddress, other.Node.OverlayAddress);
                Assert.Equal(node.Node.OverlayAddressV6, other.Node.OverlayAddressV6);
                Assert.Equal(PeerMap(node), PeerMap(other));
                Assert.Equal(node.Hooks.PostUp.Order(StringComparer.Ordinal), other.Hooks.PostUp.Order(StringComparer.Ordinal));
            }
        }, iter: 100);
    }

    [Fact]
    public void Importing_the_planned_configs_reproduces_the_nodes()
    {
        RandomDesign.Gen.Sample(design =>
        {
            var plan = Plan(design.Yaml());
            var configs = plan.Nodes
                .Select(node => ($"/plan/{node.Name}/wg0.conf", Reparse(node.Config)))
                .ToList();

            var imported = ConfigImporter.Import(configs);

            Assert.Equal(plan.Topology.Network.Overlay, imported.Overlay);
            Assert.Equal(plan.Topology.Network.OverlayV6, imported.OverlayV6);
            Assert.Equal(plan.Nodes.Select(node => node.Name), imported.Nodes.Select(node => node.Name));
            foreach (var (node, back) in plan.Nodes.Zip(imported.Nodes))
            {
                Assert.Equal(node.PublicKey, back.PublicKey);
                Assert.Equal(node.Node.OverlayAddress, back.OverlayAddress);
                Assert.Equal(node.Node.OverlayAddressV6, back.OverlayAddressV6);
                Assert.Equal(node.Node.Endpoint, back.Endpoint);
                Assert.Equal(node.Node.NeedsKeepalive, back.BehindNat);
                Assert.Equal(node.Node.LanPrefixes.ToHashSet(), back.LanSubnets.ToHashSet());
                if (node.Node.Lan is not null)
                {
                    Assert.Equal(NodeRole.Site, back.Role);
                    Assert.Equal("eth1", back.LanInterface);
                    Assert.Equal(NatMode.Masquerade, back.Nat);
                }
            }
            if (!design.Mesh && design.NodeCount > 2)
            {
                Assert.Equal(NetworkShape.Hub, imported.Shape);
                Assert.Equal("r0", imported.Hub);
            }
        }, iter: 100);
    }

    private static NetworkPlan Plan(string yaml)
    {
        var result = TopologyLoader.LoadText(yaml, "random.yaml");
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics) + "\n" + yaml);
        return NetworkPlanner.Plan(result.Topology, new PlanOptions(), PlanFixtures.TestKeys(result.Topology));
    }

    private static WgQuickConfig Reparse(WgQuickConfig config)
    {
        var parsed = WgQuickParser.Parse(WgQuickWriter.Write(config), "wg0.conf");
        Assert.True(parsed.Succeeded, string.Join("\n", parsed.Diagnostics));
        return parsed.Config;
    }

    private static SortedDictionary<string, string> PeerMap(NodePlan node) =>
        new(node.Config.Peers.ToDictionary(peer => peer.Name!, peer => string.Join(",", peer.AllowedIps.Select(prefix => prefix.ToString()).Order(StringComparer.Ordinal))), StringComparer.Ordinal);

    private static void AssertNoOverlaps(NodePlan node)
    {
        var all = node.Config.Peers.SelectMany(peer => peer.AllowedIps.Select(prefix => (peer.Name, Prefix: prefix))).ToList();
        for (var first = 0; first < all.Count; first++)
        {
            for (var second = first + 1; second < all.Count; second++)
            {
                var (a, b) = (all[first].Prefix, all[second].Prefix);
                Assert.False(Covers(a, b) || Covers(b, a), $"{node.Name}: {all[first].Name} {a} overlaps {all[second].Name} {b}");
            }
        }
    }

    private static bool Covers(IPNetwork outer, IPNetwork inner) =>
        outer.BaseAddress.AddressFamily == inner.BaseAddress.AddressFamily
        && outer.PrefixLength <= inner.PrefixLength
        && outer.Contains(inner.BaseAddress);
}
