using System.Net;
using Sitewire.Config.Topology;
using Sitewire.Config.WgQuick;
using Sitewire.Planner.Import;
using Sitewire.Planner.Plan;
using Sitewire.Planner.Tests.Verify;

namespace Sitewire.Planner.Tests.Import;

/// <summary>
/// Import of the configs `plan` writes for examples/overlapping.yaml: the NETMAP (home-a, iptables) and prefix NAT
/// (home-b, nftables) PostUp lines are read back as mapped_as, so the peers' mapped prefixes become the real LAN again.
/// </summary>
public sealed class MappedLanImportTests
{
    private static readonly NetworkPlan Overlapping = TopologyFixtures.PlanFile(TopologyFixtures.Example("overlapping.yaml"));

    private static List<(string Path, WgQuickConfig Config)> PlannedConfigs() => ImportedConfigs.Written(Overlapping);

    [Theory]
    [InlineData("home-a", "10.201.1.0/24")]
    [InlineData("home-b", "10.201.2.0/24")]
    public void The_hooks_turn_the_routed_prefix_back_into_the_real_lan_mapped_as_it(string name, string mapped)
    {
        var node = ConfigImporter.Import(PlannedConfigs()).Nodes.Single(n => n.Name == name);

        Assert.Equal([IPNetwork.Parse("192.168.1.0/24")], node.LanSubnets);
        Assert.Equal(new LanSubnet(IPNetwork.Parse("192.168.1.0/24"), null, IPNetwork.Parse(mapped)), node.Subnet(node.LanSubnets[0]));
        Assert.DoesNotContain(node.Overrides.PostUp, line => line.Contains("NETMAP", StringComparison.Ordinal) || line.Contains("prefix to", StringComparison.Ordinal));
    }

    [Fact]
    public void The_yaml_writes_the_mapping_and_a_plan_of_it_is_the_deployed_network()
    {
        var imported = ConfigImporter.Import(PlannedConfigs());
        var yaml = ImportYamlWriter.Write(imported);

        Assert.Contains("        - prefix: 192.168.1.0/24\n          mapped_as: 10.201.1.0/24\n", yaml, StringComparison.Ordinal);
        Assert.Contains("        - prefix: 192.168.1.0/24\n          mapped_as: 10.201.2.0/24\n", yaml, StringComparison.Ordinal);
        var filled = System.Text.RegularExpressions.Regex.Replace(yaml.Replace("os: TODO", "os: ubuntu", StringComparison.Ordinal), "nat: TODO.*", "nat: routed");
        var loaded = TopologyLoader.LoadText(filled, "imported.yaml");
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics) + "\n" + yaml);

        var replanned = TopologyFixtures.Plan(ImportedDesign.ToTopology(imported, OsFamily.Ubuntu));
        foreach (var node in Overlapping.Nodes)
        {
            Assert.Equal(node.Config.Peers.Select(peer => peer.AllowedIps), replanned.NodeNamed(node.Name).Config.Peers.Select(peer => peer.AllowedIps));
        }
        Assert.Equal(Overlapping.NodeNamed("home-a").Rules.Maps, replanned.NodeNamed("home-a").Rules.Maps);
        Assert.Equal(Overlapping.NodeNamed("home-b").Rules.Maps, replanned.NodeNamed("home-b").Rules.Maps);
    }
}
