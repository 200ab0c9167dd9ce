using System.Net;
using Sitewire.Config.Topology;
using Sitewire.Planner.Import;
using Sitewire.Planner.Verify;

namespace Sitewire.Planner.Tests.Import;

/// <summary>
/// Issue 16, class 5: import kept too little, so verify answered for a network other than the one deployed. Each test
/// reads a hand-made set under Import/Configs that imported wrongly before: a prefix the hub routes nowhere became an
/// invented LAN on it, a hand-written DROP and an unknown PostUp line were dropped without a word, a deleted
/// PersistentKeepalive came back on re-plan, and the interface was always wireguard0.
/// </summary>
public sealed class KeptFactsImportTests
{
    private const string FaultHosts = """

          - { name: alpha-nas, site: alpha, address: 10.20.0.10, services: [80/tcp, 445/tcp] }
          - { name: alpha-pc, site: alpha, address: 10.20.0.11 }
          - { name: beta-pc, site: beta, address: 10.22.0.10 }
          - { name: delta-srv, site: delta, address: 10.21.0.10, services: [80/tcp] }
        """;

    private const string FaultFlows = """

          - { from: beta-pc, to: "alpha-nas:445/tcp" }
          - { from: beta-pc, to: "alpha-nas:80/tcp" }
          - { from: alpha-pc, to: "delta-srv:80/tcp" }
          - { from: delta-srv, to: "alpha-nas:80/tcp" }
        """;

    [Fact]
    public void A_prefix_the_hub_routes_nowhere_is_the_lan_of_the_one_spoke_that_does_not_route_it_and_missing_on_the_hub()
    {
        var imported = ConfigImporter.Import(ImportedConfigs.Load("faults"));

        var relay = imported.Nodes.Single(node => node.Name == "relay");
        Assert.Equal(NodeRole.Relay, relay.Role);
        Assert.Empty(relay.LanSubnets);
        Assert.Null(relay.LanInterface);
        Assert.Equal([IPNetwork.Parse("10.21.0.0/24")], imported.Nodes.Single(node => node.Name == "delta").LanSubnets);
        var change = Assert.Single(relay.Overrides.AllowedIps);
        Assert.Equal(("delta", IPNetwork.Parse("10.21.0.0/24")), (change.Peer, Assert.Single(change.Missing)));
        Assert.Empty(change.Extra);
        Assert.Contains(imported.Warnings, warning => warning.StartsWith("alpha and beta route 10.21.0.0/24 to relay, but relay has no peer for it", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_a_spoke_that_serves_it_the_prefix_is_reported_and_kept_as_the_spokes_route_it()
    {
        var withoutDelta = ImportedConfigs.Load("faults").Where(entry => !entry.Path.Contains("/delta/", StringComparison.Ordinal)).ToList();

        var imported = ConfigImporter.Import(withoutDelta);

        Assert.Contains("alpha and beta route 10.21.0.0/24 to relay, but relay has no peer for it", imported.Warnings);
        Assert.All(imported.Nodes, node => Assert.DoesNotContain(IPNetwork.Parse("10.21.0.0/24"), node.LanSubnets));
        var delta = imported.Nodes.Single(node => node.Name == "delta");
        Assert.Equal((null, NodeRole.Client, IPAddress.Parse("10.99.0.4")), (delta.SourceFile, delta.Role, delta.OverlayAddress));
        foreach (var spoke in new[] { "alpha", "beta" })
        {
            var change = Assert.Single(imported.Nodes.Single(node => node.Name == spoke).Overrides.AllowedIps);
            Assert.Equal(("relay", IPNetwork.Parse("10.21.0.0/24")), (change.Peer, Assert.Single(change.Extra)));
        }
    }

    [Fact]
    public void Verify_on_the_imported_faults_predicts_the_flows_the_drop_rule_and_the_missing_prefix_break()
    {
        var topology = ImportedConfigs.Fill(ImportWriter("faults"), FaultHosts, FaultFlows);

        var report = Verifier.Verify(InMemoryPlan.Of(topology));

        var (smb, web, toDelta, fromDelta) = (report.Flows[0], report.Flows[1], report.Flows[2], report.Flows[3]);
        Assert.False(smb.Passes);
        Assert.Equal("alpha", smb.BrokenAt);
        Assert.Contains("-p tcp --dport 445 -j DROP' drops", smb.Trace!.Breakage!.Reason, StringComparison.Ordinal);
        Assert.True(web.Passes, web.Problem);
        Assert.Equal((false, "relay"), (toDelta.Passes, toDelta.BrokenAt));
        Assert.Equal((false, "relay"), (fromDelta.Passes, fromDelta.BrokenAt));
        Assert.Contains(report.Findings, finding => finding.Code == "allowed-ips-missing" && finding.Message.StartsWith("alpha and beta route 10.21.0.0/24 to relay, but relay has no peer for it", StringComparison.Ordinal));
        Assert.Contains(report.Findings, finding => finding.Code == "hook-not-modelled" && finding.Message.Contains("ip link set dev %i txqueuelen 500", StringComparison.Ordinal));
    }

    [Fact]
    public void A_deleted_persistent_keepalive_stays_deleted_on_replan_and_verify_warns_of_it()
    {
        var configs = ImportedConfigs.Load("faults");
        var beta = configs.FindIndex(entry => entry.Path.Contains("/beta/", StringComparison.Ordinal));
        configs[beta] = ImportedConfigs.Parse(File.ReadAllText(configs[beta].Path).Replace("PersistentKeepalive = 25\n", "", StringComparison.Ordinal), configs[beta].Path);

        var imported = ConfigImporter.Import(configs);
        var topology = ImportedConfigs.Fill(ImportYamlWriter.Write(imported));
        var plan = InMemoryPlan.Of(topology);

        Assert.Equal(0, imported.Nodes.Single(node => node.Name == "beta").Overrides.PersistentKeepalive);
        Assert.Equal(25, imported.PersistentKeepalive);
        Assert.All(plan.NodeNamed("beta").Config.Peers, peer => Assert.Null(peer.PersistentKeepalive));
        Assert.All(plan.NodeNamed("alpha").Config.Peers, peer => Assert.Equal(25, peer.PersistentKeepalive));
        Assert.Contains(Verifier.Findings(plan), finding => finding.Code == "nat-without-keepalive" && finding.Node == "beta");
    }

    [Fact]
    public void Unknown_postup_lines_survive_as_verbatim_hook_lines_through_plan_and_import_again()
    {
        var first = ConfigImporter.Import(ImportedConfigs.Load("faults"));
        var plan = ImportedConfigs.Planned(ImportedConfigs.Fill(ImportYamlWriter.Write(first)), PlanKeysSource.DeclaredPublicKeys);

        var second = ConfigImporter.Import(plan);

        Assert.Equal(["ip link set dev %i txqueuelen 500"], first.Nodes.Single(node => node.Name == "beta").Overrides.PostUp);
        Assert.Contains("ip link set dev %i txqueuelen 500", plan.Single(entry => entry.Path.Contains("/beta/", StringComparison.Ordinal)).Config.Interface.PostUp);
        Assert.Equal(ImportedConfigs.WithoutSources(first), ImportedConfigs.WithoutSources(second));
    }

    [Fact]
    public void A_kept_line_with_quotes_backslashes_and_control_characters_loads_back_as_written()
    {
        const string Line = "logger -t wg \"up \\ %i\"\ttab \u0001";
        var configs = ImportedConfigs.Load("faults");
        var beta = configs.FindIndex(entry => entry.Path.Contains("/beta/", StringComparison.Ordinal));
        configs[beta] = (configs[beta].Path, configs[beta].Config with { Interface = configs[beta].Config.Interface with { PostUp = [.. configs[beta].Config.Interface.PostUp, Line] } });

        var topology = ImportedConfigs.Fill(ImportYamlWriter.Write(ConfigImporter.Import(configs)));

        Assert.Equal(["ip link set dev %i txqueuelen 500", Line], topology.NodeNamed("beta").Kept.PostUp);
    }

    [Theory]
    [InlineData("/etc/{0}/wg7.conf", "wg7")]
    [InlineData("/x/{0}.conf", null)]
    public void The_interface_is_the_one_the_file_names_say(string pathPattern, string? expected)
    {
        var configs = ImportedConfigs.Load("faults");

        var imported = ConfigImporter.Import([.. configs.Select(entry => (string.Format(System.Globalization.CultureInfo.InvariantCulture, pathPattern, Path.GetFileName(Path.GetDirectoryName(entry.Path))), entry.Config))]);

        Assert.Equal(expected, imported.InterfaceName);
        if (expected is null)
        {
            Assert.Contains(imported.Warnings, warning => warning.Contains("alpha.conf, beta.conf, delta.conf, relay.conf", StringComparison.Ordinal));
            Assert.Contains("  interface: TODO ", ImportYamlWriter.Write(imported), StringComparison.Ordinal);
        }
    }

    private static string ImportWriter(string set) => ImportYamlWriter.Write(ConfigImporter.Import(ImportedConfigs.Load(set)));
}
