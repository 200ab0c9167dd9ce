using System.Net;
using Sitewire.Config.Topology;

namespace Sitewire.Config.Tests.Topology;

/// <summary>mapped_as: two sites with the same LAN, each known to the others by a mapped prefix; every bad mapping is named where it is.</summary>
public sealed class MappedLanLoaderTests
{
    private const string Valid = """
        network:
          overlay: 10.200.0.0/24
        nodes:
          - name: relay
            role: relay
            endpoint: 198.51.100.1:51820
          - name: a
            lan:
              interface: eth1
              address: 192.168.1.1/24
              mapped_as: 10.201.1.0/24
          - name: b
            lan:
              interface: eth1
              address: 192.168.1.1/24
              subnets:
                - prefix: 192.168.1.0/24
                  mapped_as: 10.201.2.0/24
                - 172.30.0.0/16
        hosts:
          - name: pc-a
            site: a
            address: 192.168.1.10
          - name: pc-b
            site: b
            address: 192.168.1.10
          - name: pc-a2
            site: a
            address: 192.168.1.11
        flows:
          - from: pc-a
            to: pc-b:80/tcp
          - from: pc-a
            to: pc-a2:80/tcp
          - from: relay
            to: pc-a
          - from: b
            to: pc-a
        """;

    private static Sitewire.Config.Topology.Topology Load(string text)
    {
        var result = TopologyLoader.LoadText(text, "t.yaml");
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return result.Topology!;
    }

    [Fact]
    public void Both_forms_map_a_subnet_and_the_other_nodes_route_the_mapped_prefix()
    {
        var topology = Load(Valid);

        Assert.Equal([IPNetwork.Parse("10.201.1.0/24")], topology.NodeNamed("a").RoutedLanPrefixes);
        Assert.Equal([IPNetwork.Parse("10.201.2.0/24"), IPNetwork.Parse("172.30.0.0/16")], topology.NodeNamed("b").RoutedLanPrefixes);
        Assert.Equal([IPNetwork.Parse("192.168.1.0/24"), IPNetwork.Parse("172.30.0.0/16")], topology.NodeNamed("b").LanPrefixes);
    }

    [Fact]
    public void A_flow_from_another_site_targets_the_mapped_address_and_one_within_the_site_the_real_one()
    {
        var flows = Load(Valid).Flows;

        Assert.Equal(["10.201.2.10", "192.168.1.11", "10.201.1.10", "10.201.1.10"], flows.Select(flow => flow.To.Address.ToString()));
        Assert.Equal("pc-b:80/tcp", flows[0].To.ToString());
    }

    [Fact]
    public void The_mapping_keeps_the_host_bits()
    {
        Assert.Equal(IPAddress.Parse("10.201.7.130"), PrefixMapping.Translate(IPAddress.Parse("192.168.1.130"), IPNetwork.Parse("10.201.7.0/24")));
        Assert.Equal(IPAddress.Parse("10.64.17.5"), PrefixMapping.Translate(IPAddress.Parse("172.16.17.5"), IPNetwork.Parse("10.64.0.0/12")));
    }

    [Theory]
    [InlineData("mapped_as: 10.201.1.0/24", "mapped_as: 10.201.1.0/25", 11, 18, "nodes[1].lan.mapped_as", "10.201.1.0/25 is a /25 and the LAN 192.168.1.0/24 a /24")]
    [InlineData("mapped_as: 10.201.1.0/24", "mapped_as: fd00:1::/120", 11, 18, "nodes[1].lan.mapped_as", "IPv4 only")]
    [InlineData("mapped_as: 10.201.1.0/24", "mapped_as: 10.201.1.1/24", 11, 18, "nodes[1].lan.mapped_as", "host bits set")]
    [InlineData("mapped_as: 10.201.1.0/24", "mapped_as: 10.200.0.0/24", 11, 18, "nodes[1].lan.mapped_as", "overlaps the overlay 10.200.0.0/24")]
    [InlineData("mapped_as: 10.201.1.0/24", "mapped_as: 172.30.5.0/24", 11, 18, "nodes[1].lan.mapped_as", "overlaps b's LAN 172.30.0.0/16")]
    [InlineData("mapped_as: 10.201.1.0/24", "mapped_as: 192.168.1.0/24", 11, 18, "nodes[1].lan.mapped_as", "overlaps the node's own LAN 192.168.1.0/24")]
    [InlineData("mapped_as: 10.201.2.0/24", "mapped_as: 10.201.1.0/24", 18, 22, "nodes[2].lan.subnets[0].mapped_as", "overlaps a's mapped prefix 10.201.1.0/24")]
    [InlineData("    - 172.30.0.0/16", "    - prefix: 172.30.0.0/16\n          mapped_as: 10.202.0.0/16\n      mapped_as: 10.203.0.0/16", 21, 18, "nodes[2].lan.mapped_as", "the LAN has 2 IPv4 subnets")]
    public void A_bad_mapping_is_named_where_it_is(string find, string replace, int line, int column, string field, string message) =>
        LoaderDiagnostics.AssertReportedAt(Valid, find, replace, line, column, field, message);

    [Fact]
    public void An_ipv6_subnet_cannot_be_mapped_and_the_error_says_so()
    {
        var text = Valid.Replace("        - 172.30.0.0/16", "        - prefix: fd00:30::/64\n          mapped_as: fd00:31::/64", StringComparison.Ordinal)
            .Replace("      address: 192.168.1.1/24\n      subnets:", "      address: 192.168.1.1/24\n      address_v6: fd00:30::1/64\n      subnets:", StringComparison.Ordinal);
        var diagnostic = Assert.Single(TopologyLoader.LoadText(text, "t.yaml").Diagnostics);

        Assert.Equal("nodes[2].lan.subnets[1].mapped_as", diagnostic.Field);
        Assert.Contains("fd00:30::/64 cannot be mapped to fd00:31::/64: mapped_as is IPv4 only", diagnostic.Message, StringComparison.Ordinal);
    }
}
