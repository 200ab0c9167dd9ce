using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Sitewire.Config.Diagnostics;
using Sitewire.Config.Topology;
using Sitewire.Config.WgQuick;
using Sitewire.Planner.Import;
using Sitewire.Planner.Plan;
using Sitewire.Planner.Tests.Verify;

namespace Sitewire.Planner.Tests.Import;

/// <summary>Import of dual-stack configs: the configs `plan` writes for examples/dualstack.yaml, and variations of them.</summary>
public sealed class DualStackImportTests
{
    private static readonly NetworkPlan DualStack = TopologyFixtures.PlanFile(TopologyFixtures.Example("dualstack.yaml"));

    [Fact]
    public void The_planned_dual_stack_configs_import_with_the_ipv6_overlay_addresses_and_lan_prefixes_of_the_design()
    {
        var imported = ConfigImporter.Import(PlannedConfigs());

        Assert.Equal(IPNetwork.Parse("10.60.0.0/24"), imported.Overlay);
        Assert.Equal(IPNetwork.Parse("fd00:60::/64"), imported.OverlayV6);
        Assert.Equal(DualStack.Topology.Network.OverlayV6, imported.OverlayV6);
        Assert.Equal(DualStack.Nodes.Select(node => node.Name), imported.Nodes.Select(node => node.Name));
        foreach (var (planned, back) in DualStack.Nodes.Zip(imported.Nodes))
        {
            Assert.NotNull(back.OverlayAddressV6);
            Assert.Equal(planned.Node.OverlayAddressV6, back.OverlayAddressV6);
            Assert.Equal(planned.Node.LanPrefixes.ToHashSet(), back.LanSubnets.ToHashSet());
        }
        var hq = imported.Nodes.Single(node => node.Name == "hq");
        Assert.Equal([IPNetwork.Parse("10.10.0.0/24"), IPNetwork.Parse("fd00:10:10::/64")], hq.LanSubnets);
        Assert.Equal(("eth1", NatMode.Masquerade), (hq.LanInterface, hq.Nat));
        Assert.Empty(imported.Nodes.Single(node => node.Name == "relay").LanSubnets);
    }

    [Fact]
    public void A_hand_tuned_mss_clamp_of_iptables_and_nftables_nodes_reads_as_the_planned_clamp_and_is_not_kept_verbatim()
    {
        var configs = PlannedConfigs()
            .Select(entry => (entry.Path, entry.Config with { Interface = entry.Config.Interface with { PostUp = [.. entry.Config.Interface.PostUp.Select(HandTuned)] } }))
            .ToList();
        var hooks = configs.SelectMany(entry => entry.Item2.Interface.PostUp).ToList();
        Assert.Contains(hooks, line => line.Contains("--mss 1301:65535 -m comment --comment sitewire-%i -j TCPMSS --set-mss 1300", StringComparison.Ordinal));
        Assert.Contains(hooks, line => line.Contains("tcp option maxseg size 1301-65535 tcp option maxseg size set 1300", StringComparison.Ordinal));

        var imported = ConfigImporter.Import(configs);

        Assert.All(imported.Nodes, node => Assert.Equal((node.Name, 0), (node.Name, node.Overrides.PostUp.Count)));
        Assert.Equal(("eth1", NatMode.Masquerade), (imported.Nodes.Single(node => node.Name == "hq").LanInterface, imported.Nodes.Single(node => node.Name == "hq").Nat));

        static string HandTuned(string line) => Regex.Replace(line, @"\b1381([:-])65535\b(.*?)\b(set-mss |size set )1380\b", "1301${1}65535${2}${3}1300");
    }

    [Fact]
    public void The_yaml_carries_overlay_v6_address_v6_and_ipv6_subnets_and_loads_back_to_the_same_ipv6_design()
    {
        var yaml = ImportYamlWriter.Write(ConfigImporter.Import(PlannedConfigs()));

        Assert.Contains("  overlay_v6: fd00:60::/64\n", yaml, StringComparison.Ordinal);
        Assert.Contains("    address_v6: fd00:60::a\n", yaml, StringComparison.Ordinal);
        Assert.Contains("        - fd00:10:20::/64\n", yaml, StringComparison.Ordinal);
        Assert.Contains("      # address_v6: TODO", yaml, StringComparison.Ordinal);
        Assert.Contains("e.g. fd00:10:10::1/64", yaml, StringComparison.Ordinal);
        Assert.Contains("e.g. 10.10.0.1/24", yaml, StringComparison.Ordinal);
        Assert.Equal(yaml, ImportYamlWriter.Write(ConfigImporter.Import(PlannedConfigs())));

        var loaded = TopologyLoader.LoadText(yaml.Replace("os: TODO", "os: ubuntu", StringComparison.Ordinal), "imported.yaml");
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics) + "\n" + yaml);
        Assert.Equal(DualStack.Topology.Network.OverlayV6, loaded.Topology.Network.OverlayV6);
        foreach (var planned in DualStack.Nodes)
        {
            var back = loaded.Topology.NodeNamed(planned.Name);
            Assert.Equal(planned.Node.OverlayAddressV6, back.OverlayAddressV6);
            Assert.Equal(planned.Node.LanPrefixes.ToHashSet(), back.LanPrefixes.ToHashSet());
        }
    }

    [Fact]
    public void An_ipv6_address_outside_the_overlay_the_others_imply_is_reported_naming_the_file_and_field()
    {
        var configs = PlannedConfigs();
        var branch = configs.FindIndex(entry => entry.Path.Contains("/branch/", StringComparison.Ordinal));
        configs[branch] = (configs[branch].Path, WithAddresses(configs[branch].Config, "10.60.0.20/24", "fd00:61::14/64"));

        var exception = Assert.Throws<DiagnosticsException>(() => ConfigImporter.Import(configs));

        var diagnostic = Assert.Single(exception.Diagnostics);
        Assert.Equal(("/plan/branch/wg0.conf", "Address"), (diagnostic.Location.File, diagnostic.Field));
        Assert.Contains("fd00:61::14/64", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("IPv6 overlay fd00:60::/64", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ipv4_address_outside_the_overlay_the_others_imply_is_reported_too()
    {
        var configs = PlannedConfigs();
        configs[0] = (configs[0].Path, WithAddresses(configs[0].Config, "10.61.0.1/24", "fd00:60::1/64"));

        var exception = Assert.Throws<DiagnosticsException>(() => ConfigImporter.Import(configs));

        var diagnostic = Assert.Single(exception.Diagnostics);
        Assert.Equal(("/plan/relay/wg0.conf", "Address"), (diagnostic.Location.File, diagnostic.Field));
        Assert.Contains("IPv4 overlay 10.60.0.0/24", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Host_length_addresses_take_the_overlay_from_the_allowed_ips_that_hold_every_node()
    {
        var configs = PlannedConfigs().Select(entry => (entry.Path, AsHostAddresses(entry.Config))).ToList();

        var imported = ConfigImporter.Import(configs);

        Assert.Equal(IPNetwork.Parse("10.60.0.0/24"), imported.Overlay);
        Assert.Equal(IPNetwork.Parse("fd00:60::/64"), imported.OverlayV6);
        Assert.Equal(DualStack.Nodes.Select(node => node.Node.LanPrefixes.ToHashSet()), imported.Nodes.Select(node => node.LanSubnets.ToHashSet()));
    }

    [Fact]
    public void Host_length_addresses_that_no_allowed_ips_prefix_holds_are_reported_as_telling_no_overlay()
    {
        var overlays = new[] { DualStack.Topology.Network.Overlay, DualStack.Topology.Network.OverlayV6!.Value };
        var configs = PlannedConfigs().Select(entry => (entry.Path, AsHostAddresses(entry.Config) with
        {
            Peers = [.. entry.Config.Peers.Select(peer => peer with { AllowedIps = [.. peer.AllowedIps.Where(prefix => !overlays.Contains(prefix))] })],
        })).ToList();

        var exception = Assert.Throws<DiagnosticsException>(() => ConfigImporter.Import(configs));

        Assert.Equal(2, exception.Diagnostics.Count);
        Assert.All(exception.Diagnostics, diagnostic => Assert.Equal((configs[0].Path, "Address"), (diagnostic.Location.File, diagnostic.Field)));
        Assert.Contains(exception.Diagnostics, diagnostic => diagnostic.Message.Contains("IPv6 overlay cannot be told", StringComparison.Ordinal) && diagnostic.Expected!.Contains("/64", StringComparison.Ordinal));
    }

    [Fact]
    public void A_full_tunnel_default_route_of_either_family_is_no_lan_prefix_of_the_relay_and_is_kept_as_extra_allowed_ips()
    {
        var configs = PlannedConfigs();
        var branch = configs.FindIndex(entry => entry.Path.Contains("/branch/", StringComparison.Ordinal));
        var config = configs[branch].Config;
        configs[branch] = (configs[branch].Path, config with { Peers = [config.Peers[0] with { AllowedIps = [IPNetwork.Parse("0.0.0.0/0"), IPNetwork.Parse("::/0")] }] });

        var imported = ConfigImporter.Import(configs);
        var yaml = ImportYamlWriter.Write(imported);

        var relay = imported.Nodes.Single(node => node.Name == "relay");
        Assert.Empty(relay.LanSubnets);
        Assert.Empty(relay.Overrides.AllowedIps);
        var fullTunnel = Assert.Single(imported.Nodes[branch].Overrides.AllowedIps);
        Assert.Equal("relay", fullTunnel.Peer);
        Assert.Equal([IPNetwork.Parse("0.0.0.0/0"), IPNetwork.Parse("::/0")], fullTunnel.Extra);
        Assert.Empty(fullTunnel.Missing);
        Assert.Equal([IPNetwork.Parse("10.20.0.0/24"), IPNetwork.Parse("fd00:10:20::/64")], imported.Nodes[branch].LanSubnets);
        Assert.Single(yaml.Split('\n'), line => line == "        extra: [0.0.0.0/0, ::/0]");
    }

    [Fact]
    public void Ipv4_only_configs_have_no_ipv6_overlay_and_the_yaml_no_ipv6_fields()
    {
        var configs = PlannedConfigs().Select(entry => (entry.Path, WithoutIpv6Overlay(entry.Config, keepIpv6Lans: false))).ToList();

        var imported = ConfigImporter.Import(configs);
        var yaml = ImportYamlWriter.Write(imported);

        Assert.Null(imported.OverlayV6);
        Assert.All(imported.Nodes, node => Assert.Null(node.OverlayAddressV6));
        Assert.DoesNotContain("_v6", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Ipv6_lan_prefixes_are_kept_when_no_node_has_an_ipv6_overlay_address()
    {
        var configs = PlannedConfigs().Select(entry => (entry.Path, WithoutIpv6Overlay(entry.Config, keepIpv6Lans: true))).ToList();

        var imported = ConfigImporter.Import(configs);

        Assert.Null(imported.OverlayV6);
        Assert.Contains(IPNetwork.Parse("fd00:10:20::/64"), imported.Nodes.Single(node => node.Name == "branch").LanSubnets);
    }

    [Fact]
    public void A_node_without_an_ipv6_address_in_a_dual_stack_network_is_imported_and_the_yaml_says_the_plan_gives_it_one()
    {
        var configs = PlannedConfigs();
        configs[0] = (configs[0].Path, WithAddresses(configs[0].Config, "10.60.0.1/24"));

        var imported = ConfigImporter.Import(configs);
        var yaml = ImportYamlWriter.Write(imported);

        Assert.Equal(IPNetwork.Parse("fd00:60::/64"), imported.OverlayV6);
        Assert.Null(imported.Nodes[0].OverlayAddressV6);
        Assert.Contains("# address_v6: its config has no IPv6 Address", yaml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ip6tables -t nat -A POSTROUTING -s fd00:60::/64 -o eth7 -j MASQUERADE")]
    [InlineData("nft add rule ip6 nat postrouting ip6 saddr fd00:60::/64 oifname \"eth7\" masquerade")]
    [InlineData("nft 'table inet t { chain p { type nat hook postrouting priority 100; ip6 saddr fd00:60::/64 oifname \"eth7\" masquerade; }; }'")]
    public void An_ipv6_only_masquerade_rule_in_post_up_gives_the_lan_interface_and_masquerade(string rule)
    {
        var configs = PlannedConfigs();
        var hq = configs.FindIndex(entry => entry.Path.Contains("/hq/", StringComparison.Ordinal));
        configs[hq] = (configs[hq].Path, configs[hq].Config with { Interface = configs[hq].Config.Interface with { PostUp = ["sysctl -q -w net.ipv6.conf.all.forwarding=1", rule] } });

        var node = ConfigImporter.Import(configs).Nodes[hq];

        Assert.Equal(("eth7", NatMode.Masquerade), (node.LanInterface, node.Nat));
    }

    /// <summary>The planned configs as a user has them: written to wg-quick text and parsed back, one path per node.</summary>
    private static List<(string Path, WgQuickConfig Config)> PlannedConfigs() => ImportedConfigs.Written(DualStack);

    /// <summary>The config with its IPv4 Address only, and no IPv6 AllowedIPs but (when asked) the IPv6 LAN prefixes.</summary>
    private static WgQuickConfig WithoutIpv6Overlay(WgQuickConfig config, bool keepIpv6Lans)
    {
        var overlayV6 = DualStack.Topology.Network.OverlayV6!.Value;
        return WithAddresses(config, config.Interface.Addresses[0].ToString()) with
        {
            Peers = [.. config.Peers.Select(peer => peer with
            {
                AllowedIps = [.. peer.AllowedIps.Where(prefix => prefix.BaseAddress.AddressFamily == AddressFamily.InterNetwork || (keepIpv6Lans && !overlayV6.Contains(prefix.BaseAddress)))],
            })],
        };
    }

    private static WgQuickConfig AsHostAddresses(WgQuickConfig config) =>
        config with
        {
            Interface = config.Interface with
            {
                Addresses = [.. config.Interface.Addresses.Select(address => address with { PrefixLength = address.Address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128 })],
            },
        };

    private static WgQuickConfig WithAddresses(WgQuickConfig config, params string[] addresses) =>
        config with
        {
            Interface = config.Interface with
            {
                Addresses = [.. addresses.Select(text => TopologyValues.ParseInterfaceAddress(text, out _)!.Value).Select(address => new InterfaceAddress(address.Address, address.Length))],
            },
        };
}
