using System.Net;
using Sitewire.Config.Diagnostics;
using Sitewire.Config.Topology;
using Sitewire.Config.WgQuick;
using Sitewire.Planner.Import;
using Sitewire.Planner.Tests.Plan;

namespace Sitewire.Planner.Tests.Import;

public sealed class ConfigImporterTests
{
    private static readonly string[] SeedFiles =
        ["imported/relay/wireguard0.conf", "imported/office/wireguard0.conf", "imported/home/wireguard0.conf"];

    [Fact]
    public void The_seed_shaped_configs_import_as_a_hub_with_the_office_subnets_and_masquerade()
    {
        var imported = ConfigImporter.Import(SeedFiles.Select(Load).ToList());

        Assert.Equal(NetworkShape.Hub, imported.Shape);
        Assert.Equal("relay", imported.Hub);
        Assert.Equal(IPNetwork.Parse("192.168.200.0/24"), imported.Overlay);
        Assert.Equal("wireguard0", imported.InterfaceName);
        Assert.Equal(20, imported.PersistentKeepalive);
        var (relay, office, home) = (imported.Nodes[0], imported.Nodes[1], imported.Nodes[2]);
        Assert.Equal(("relay", NodeRole.Relay, new PublicEndpoint("203.0.113.10", 51820)), (relay.Name, relay.Role, relay.Endpoint));
        Assert.Equal(("office", NodeRole.Site, "ens33", NatMode.Masquerade), (office.Name, office.Role, office.LanInterface, office.Nat));
        Assert.Equal([IPNetwork.Parse("172.18.3.0/24"), IPNetwork.Parse("172.17.50.0/24")], office.LanSubnets);
        Assert.True(office.BehindNat);
        Assert.Equal(("home", NodeRole.Site, "ens3"), (home.Name, home.Role, home.LanInterface));
        Assert.Empty(home.LanSubnets);
        Assert.Equal(IPAddress.Parse("192.168.200.2"), home.OverlayAddress);
    }

    [Fact]
    public void The_yaml_asks_for_what_cannot_be_inferred_and_loads_once_it_is_filled_in()
    {
        var yaml = ImportYamlWriter.Write(ConfigImporter.Import(SeedFiles.Select(Load).ToList()));

        var unfilled = TopologyLoader.LoadText(yaml, "imported.yaml");
        Assert.False(unfilled.Succeeded);
        Assert.Contains(unfilled.Diagnostics, diagnostic => diagnostic.Field == "nodes[0].os" && diagnostic.Message.Contains("'TODO'", StringComparison.Ordinal));
        Assert.Contains(unfilled.Diagnostics, diagnostic => diagnostic.Field == "nodes[2].lan.subnets[0]");

        var filled = yaml
            .Replace("os: TODO", "os: ubuntu", StringComparison.Ordinal)
            .Replace("- TODO ", "- 192.168.3.0/24 ", StringComparison.Ordinal);
        var loaded = TopologyLoader.LoadText(filled, "imported.yaml");
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics));
        Assert.Equal(["relay", "office", "home"], loaded.Topology.Nodes.Select(node => node.Name));
        Assert.NotNull(loaded.Topology.NodeNamed("home").PublicKey);
        Assert.DoesNotContain("PrivateKey", yaml, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Names_yaml_would_read_as_a_number_or_boolean_are_written_quoted_and_load_as_names()
    {
        var imported = ConfigImporter.Import(SeedFiles.Select(Load).ToList());
        var renamed = imported with
        {
            Hub = "1",
            Nodes = [.. imported.Nodes.Select(node => node with { Name = node.Name switch { "relay" => "1", "office" => "true", _ => "0x1f" } })],
        };

        var yaml = ImportYamlWriter.Write(renamed)
            .Replace("os: TODO", "os: ubuntu", StringComparison.Ordinal)
            .Replace("- TODO ", "- 192.168.3.0/24 ", StringComparison.Ordinal);

        Assert.Contains("- name: \"1\"", yaml, StringComparison.Ordinal);
        var loaded = TopologyLoader.LoadText(yaml, "imported.yaml");
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics));
        Assert.Equal(["1", "true", "0x1f"], loaded.Topology.Nodes.Select(node => node.Name));
    }

    [Fact]
    public void The_same_key_in_two_files_is_reported()
    {
        var relay = Load(SeedFiles[0]);

        var exception = Assert.Throws<DiagnosticsException>(() => ConfigImporter.Import([relay, ("/copy/wireguard0.conf", relay.Config)]));

        Assert.Contains("same key", Assert.Single(exception.Diagnostics).Message, StringComparison.Ordinal);
    }

    private static (string Path, WgQuickConfig Config) Load(string relative)
    {
        var path = PlanFixtures.Example(relative);
        var parsed = WgQuickParser.Load(path);
        Assert.True(parsed.Succeeded, string.Join("\n", parsed.Diagnostics));
        return (path, parsed.Config);
    }
}
