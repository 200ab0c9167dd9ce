using Sitewire.Config.Topology;

namespace Sitewire.Config.Tests.Topology;

/// <summary>
/// A host reaches its gateway directly: a router or node address off the host's own segment is refused at load time,
/// at the field, naming the segment and the addresses that would fit (issue 14: the lab died with "Nexthop has invalid
/// gateway" on such a file while verify loaded it).
/// </summary>
public class GatewaySegmentTests
{
    /// <summary>The shape: a LAN 10.62.0.0/24 with a service network 10.162.0.0/24 behind the LAN router 10.62.0.254.</summary>
    private const string Valid = """
        network:
          overlay: 10.200.0.0/24
          shape: hub
          hub: relay
        nodes:
          - name: relay
            role: relay
            endpoint: 203.0.113.10:51820
          - name: office
            role: site
            lan:
              interface: eth1
              address: 10.62.0.1/24
              subnets:
                - 10.62.0.0/24
                - {prefix: 10.162.0.0/24, via: 10.62.0.254}
        hosts:
          - name: cam
            site: office
            address: 10.162.0.9
            gateway: router-with-route
            router: 10.162.0.254
          - name: desk
            site: office
            address: 10.62.0.50
            gateway: router-without-route
            router: 10.62.0.254
          - name: pc
            site: office
            address: 10.62.0.60
            gateway: node
        """;

    [Fact]
    public void The_valid_layout_loads()
    {
        var result = TopologyLoader.LoadText(Valid, "t.yaml");
        Assert.True(result.Succeeded, string.Join('\n', result.Diagnostics));
    }

    [Theory]
    [InlineData("router-with-route\n    router: 10.162.0.254", "router-with-route\n    router: 10.62.0.254", 22, 13,
        "10.62.0.254 is not a router cam can reach: cam (10.162.0.9) is on 10.162.0.0/24 (behind the LAN router 10.62.0.254), and a host reaches its router directly")]
    [InlineData("router-with-route\n    router: 10.162.0.254", "router-without-route\n    router: 10.62.0.254", 22, 13,
        "10.62.0.254 is not a router cam can reach")]
    [InlineData("router-without-route\n    router: 10.62.0.254", "router-without-route\n    router: 10.162.0.254", 27, 13,
        "10.162.0.254 is not a router desk can reach: desk (10.62.0.50) is on 10.62.0.0/24 (the LAN's own link)")]
    [InlineData("router-without-route\n    router: 10.62.0.254", "router-without-route\n    router: 10.62.0.50", 27, 13, "10.62.0.50 is desk's own address")]
    [InlineData("router-without-route\n    router: 10.62.0.254", "router-without-route\n    router: 10.62.0.255", 27, 13, "10.62.0.255 is not a router desk can reach")]
    public void A_router_off_the_hosts_segment_is_refused_at_the_router_field(string find, string replace, int line, int column, string message)
    {
        var field = line == 22 ? "hosts[0].router" : "hosts[1].router";
        LoaderDiagnostics.AssertReportedAt(Valid, find, replace, line, column, field, message);
        var diagnostic = Assert.Single(TopologyLoader.LoadText(Valid.Replace(find, replace, StringComparison.Ordinal), "t.yaml").Diagnostics);
        Assert.Contains(line == 22 ? "an address of 10.162.0.0/24 (10.162.0.1 to 10.162.0.254) other than 10.162.0.9" : "an address of 10.62.0.0/24 (10.62.0.1 to 10.62.0.254) other than 10.62.0.50",
            diagnostic.Expected, StringComparison.Ordinal);
    }

    /// <summary>
    /// A router that is the node's own LAN address: the lab and verify's model each built a second box with the node's
    /// address (found by verify-vs-lab, which saw the two race for it); the node is then the gateway, so say so.
    /// </summary>
    [Fact]
    public void A_router_at_the_nodes_own_lan_address_is_refused_at_the_router_field()
    {
        LoaderDiagnostics.AssertReportedAt(Valid, "router-without-route\n    router: 10.62.0.254", "router-without-route\n    router: 10.62.0.1", 27, 13, "hosts[1].router",
            "10.62.0.1 is office's own LAN address, not a LAN router's: the node would be desk's gateway");
    }

    [Fact]
    public void A_host_behind_a_lan_router_cannot_use_the_node_as_gateway()
    {
        LoaderDiagnostics.AssertReportedAt(Valid, "gateway: router-with-route\n    router: 10.162.0.254", "gateway: node", 21, 14, "hosts[0].gateway",
            "cam (10.162.0.9) uses office as gateway but is on 10.162.0.0/24 (behind the LAN router 10.62.0.254), where office's LAN address 10.62.0.1 is not");
    }

    [Fact]
    public void A_host_on_the_nodes_own_lan_address_is_refused()
    {
        LoaderDiagnostics.AssertReportedAt(Valid, "address: 10.62.0.60", "address: 10.62.0.1", 31, 14, "hosts[2].gateway", "pc's address 10.62.0.1 is office's own LAN address");
    }

    [Theory]
    [InlineData("via: 10.62.0.254", "via: 10.99.0.254", "10.99.0.254 is not on the node's LAN link 10.62.0.0/24")]
    [InlineData("via: 10.62.0.254", "via: 10.62.0.1", "10.62.0.1 is the node's own LAN address")]
    public void A_subnet_router_off_the_nodes_lan_link_is_refused_at_via(string find, string replace, string message)
    {
        var result = TopologyLoader.LoadText(Valid.Replace(find, replace, StringComparison.Ordinal), "t.yaml");
        var diagnostic = Assert.Single(result.Diagnostics, d => d.Field == "nodes[1].lan.subnets[1].via");
        Assert.Contains(message, diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal((16, 40), (diagnostic.Location.Line, diagnostic.Location.Column));
    }
}
