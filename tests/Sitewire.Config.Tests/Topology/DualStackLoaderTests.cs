using System.Net;
using Sitewire.Config.Topology;

namespace Sitewire.Config.Tests.Topology;

public sealed class DualStackLoaderTests
{
    private const string Valid = """
        network:
          overlay: 10.200.0.0/24
          overlay_v6: fd00:200::/64
        nodes:
          - name: relay
            role: relay
            endpoint: 198.51.100.1:51820
            address: 10.200.0.1
          - name: site
            lan:
              interface: eth1
              address: 10.1.0.1/24
              address_v6: fd00:10:1::1/64
        hosts:
          - name: pc
            site: site
            address: 10.1.0.5
            address_v6: fd00:10:1::5
            services: [22/tcp]
          - name: nas
            site: site
            address: fd00:10:1::9
        flows:
          - from: relay
            to: pc:22/tcp
            family: ipv6
          - from: relay
            to: pc:22/tcp
          - from: pc
            to: relay
            family: ipv6
          - from: relay
            to: nas:445/tcp
          - from: pc
            to: "[fd00:10:1::9]:445/tcp"
            family: ipv6
        """;

    [Fact]
    public void A_dual_stack_lan_gets_both_addresses_and_both_on_link_subnets()
    {
        var site = Load(Valid).NodeNamed("site");

        Assert.Equal((IPAddress.Parse("10.1.0.1"), 24), (site.Lan!.Address, site.Lan.PrefixLength));
        Assert.Equal((IPAddress.Parse("fd00:10:1::1"), 64), (site.Lan.AddressV6, site.Lan.PrefixLengthV6));
        Assert.Equal([IPNetwork.Parse("10.1.0.0/24"), IPNetwork.Parse("fd00:10:1::/64")], site.LanPrefixes);
        Assert.Equal([(IPAddress.Parse("10.1.0.1"), 24), (IPAddress.Parse("fd00:10:1::1"), 64)], site.Lan.InterfaceAddresses);
    }

    [Fact]
    public void Declared_subnets_replace_the_on_link_defaults()
    {
        var text = Valid.Replace("      address_v6: fd00:10:1::1/64\n", "      address_v6: fd00:10:1::1/64\n      subnets: [10.1.0.0/24, fd00:10:1::/48]\n", StringComparison.Ordinal);

        var site = Load(text).NodeNamed("site");

        Assert.Equal([IPNetwork.Parse("10.1.0.0/24"), IPNetwork.Parse("fd00:10:1::/48")], site.LanPrefixes);
    }

    [Fact]
    public void Hosts_carry_their_addresses_of_each_family()
    {
        var topology = Load(Valid);

        var pc = topology.FindHost("pc")!;
        Assert.Equal((IPAddress.Parse("10.1.0.5"), IPAddress.Parse("fd00:10:1::5")), (pc.Ipv4Address, pc.Ipv6Address));
        Assert.Equal([IPAddress.Parse("10.1.0.5"), IPAddress.Parse("fd00:10:1::5")], pc.Addresses);
        var nas = topology.FindHost("nas")!;
        Assert.Null(nas.Ipv4Address);
        Assert.Null(nas.AddressV6);
        Assert.Equal(IPAddress.Parse("fd00:10:1::9"), nas.Ipv6Address);
    }

    [Fact]
    public void Flows_resolve_names_in_their_family()
    {
        var topology = Load(Valid);
        var relay = topology.NodeNamed("relay");

        Assert.Equal(new FlowTarget("pc", IPAddress.Parse("fd00:10:1::5"), 22, TransportProtocol.Tcp), topology.Flows[0].To);
        Assert.Equal(new FlowTarget("pc", IPAddress.Parse("10.1.0.5"), 22, TransportProtocol.Tcp), topology.Flows[1].To);
        Assert.Equal(new FlowTarget("relay", relay.OverlayAddressV6!, null, TransportProtocol.Icmp), topology.Flows[2].To);
        Assert.Equal(IPAddress.Parse("fd00:200::1"), relay.OverlayAddressV6);
        Assert.Equal(new FlowTarget("nas", IPAddress.Parse("fd00:10:1::9"), 445, TransportProtocol.Tcp), topology.Flows[3].To);
        Assert.Equal(new FlowTarget(null, IPAddress.Parse("fd00:10:1::9"), 445, TransportProtocol.Tcp), topology.Flows[4].To);
    }

    [Fact]
    public void Flows_over_ipv6_say_so_and_ipv6_literals_are_bracketed()
    {
        var flows = Load(Valid).Flows;

        Assert.Equal("relay -> pc:22/tcp over IPv6 (allow)", flows[0].ToString());
        Assert.Equal("relay -> pc:22/tcp (allow)", flows[1].ToString());
        Assert.Equal("pc -> relay over IPv6 (allow)", flows[2].ToString());
        Assert.Equal("pc -> [fd00:10:1::9]:445/tcp (allow)", flows[4].ToString());
    }

    [Theory]
    [InlineData("address_v6: fd00:10:1::1/64", "address_v6: 10.9.0.1/24", 13, 19, "nodes[1].lan.address_v6", "10.9.0.1 is not an IPv6 address")]
    [InlineData("address_v6: fd00:10:1::1/64", "address_v6: fd00:10:1::1", 13, 19, "nodes[1].lan.address_v6", "is not an address with prefix length")]
    [InlineData("address: 10.1.0.1/24", "address: fd00:10:9::1/64", 12, 16, "nodes[1].lan.address", "fd00:10:9::1 is not an IPv4 address")]
    [InlineData("address_v6: fd00:10:1::5", "address_v6: fd00:99::5", 18, 17, "hosts[0].address_v6", "fd00:99::5 is in none of site's LAN subnets (fd00:10:1::/64)")]
    [InlineData("address_v6: fd00:10:1::5", "address_v6: 10.1.0.6", 18, 17, "hosts[0].address_v6", "10.1.0.6 is not an IPv6 address")]
    [InlineData("address_v6: fd00:10:1::5", "address_v6: fd00:10:1::5/64", 18, 17, "hosts[0].address_v6", "is not an IP address")]
    [InlineData("address_v6: fd00:10:1::5", "address_v6: fd00:10:1::5\n    gateway: router-with-route\n    router: 10.1.0.254", 18, 17, "hosts[0].address_v6", "IPv6 through a LAN router is not modelled")]
    [InlineData("address: fd00:10:1::9", "address: fd00:10:1::9\n    gateway: router-without-route", 22, 14, "hosts[1].address", "IPv6 through a LAN router is not modelled")]
    [InlineData("address: fd00:10:1::9", "address: fd00:10:1::9\n    address_v6: fd00:10:1::10", 23, 17, "hosts[1].address_v6", "address fd00:10:1::9 is already IPv6")]
    [InlineData("    to: pc:22/tcp\n    family: ipv6", "    to: pc:22/tcp\n    family: ipv5", 26, 13, "flows[0].family", "'ipv5' is not a valid value")]
    [InlineData("    to: relay\n    family: ipv6", "    to: nas\n    family: ipv4", 31, 13, "flows[2].family", "host 'nas' has no IPv4 address")]
    [InlineData("    to: \"[fd00:10:1::9]:445/tcp\"\n    family: ipv6", "    to: \"[fd00:10:1::9]:445/tcp\"\n    family: ipv4", 36, 13, "flows[4].family", "fd00:10:1::9 is an ipv6 address, and family says ipv4")]
    [InlineData("    to: relay\n    family: ipv6", "    to: 10.200.0.1\n    family: ipv6", 31, 13, "flows[2].family", "10.200.0.1 is an ipv4 address, and family says ipv6")]
    public void Bad_dual_stack_input_is_reported_at_its_exact_position(string find, string replace, int line, int column, string field, string message) =>
        LoaderDiagnostics.AssertReportedAt(Valid, find, replace, line, column, field, message);

    [Fact]
    public void An_ipv6_flow_to_a_host_without_an_ipv6_address_names_the_host_and_the_fix()
    {
        var text = Valid.Replace("    address_v6: fd00:10:1::5\n", "", StringComparison.Ordinal);

        var diagnostic = Assert.Single(TopologyLoader.LoadText(text, "t.yaml").Diagnostics);

        Assert.Equal("flows[0].family", diagnostic.Field);
        Assert.Equal((25, 13), (diagnostic.Location.Line, diagnostic.Location.Column));
        Assert.Contains("host 'pc' has no IPv6 address: set its address_v6", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ipv6_flow_to_a_node_without_an_ipv6_overlay_says_to_set_overlay_v6()
    {
        var text = Valid
            .Replace("  overlay_v6: fd00:200::/64\n", "", StringComparison.Ordinal)
            .Replace("    to: relay\n    family: ipv6", "    to: relay\n    family: ipv6\n  - from: relay\n    to: site\n    family: ipv6", StringComparison.Ordinal);

        var result = TopologyLoader.LoadText(text, "t.yaml");

        Assert.Contains(result.Diagnostics, d => d.Field == "flows[2].family" && d.Message.Contains("node 'relay' has no IPv6 overlay address: set network.overlay_v6", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.Field == "flows[3].family" && d.Message.Contains("node 'site' has no IPv6 overlay address", StringComparison.Ordinal));
    }

    [Fact]
    public void An_ipv6_host_on_a_lan_without_an_ipv6_subnet_is_told_to_add_one()
    {
        var text = Valid.Replace("      address_v6: fd00:10:1::1/64\n", "", StringComparison.Ordinal);

        var result = TopologyLoader.LoadText(text, "t.yaml");

        var diagnostic = Assert.Single(result.Diagnostics, d => d.Field == "hosts[1].address");
        Assert.Contains("fd00:10:1::9 is IPv6, and site's LAN has no IPv6 subnet", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains(result.Diagnostics, d => d.Field == "hosts[0].address_v6");
    }

    private static Sitewire.Config.Topology.Topology Load(string text)
    {
        var result = TopologyLoader.LoadText(text, "t.yaml");
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return result.Topology;
    }
}
