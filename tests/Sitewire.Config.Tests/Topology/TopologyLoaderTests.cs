using System.Net;
using Sitewire.Config.Topology;

namespace Sitewire.Config.Tests.Topology;

public sealed class TopologyLoaderTests
{
    private const string Valid = """
        network:
          overlay: 10.200.0.0/24
          shape: hub
        nodes:
          - name: relay
            role: relay
            endpoint: 198.51.100.1:51820
            address: 10.200.0.1
          - name: site
            lan:
              interface: eth1
              address: 10.1.0.1/24
        hosts:
          - name: pc
            site: site
            address: 10.1.0.5
            services: [22/tcp]
        flows:
          - from: pc
            to: relay
        """;

    [Fact]
    public void The_seed_example_loads_with_its_addresses()
    {
        var result = TopologyLoader.Load(RepositoryPaths.Example("seed.yaml"));

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var topology = result.Topology;
        Assert.Equal(NetworkShape.Hub, topology.Network.Shape);
        Assert.Equal("wireguard0", topology.Network.InterfaceName);
        Assert.Equal(IPAddress.Parse("192.168.200.254"), topology.NodeNamed("relay").OverlayAddress);
        Assert.Equal(new PublicEndpoint("203.0.113.10", 51820), topology.NodeNamed("relay").Endpoint);
        var office = topology.NodeNamed("office");
        Assert.Equal(OsFamily.Rhel, office.Os);
        Assert.Equal("ens33", office.Lan!.Interface);
        Assert.Equal([IPNetwork.Parse("172.18.3.0/24"), IPNetwork.Parse("172.17.50.0/24")], office.LanPrefixes);
        Assert.Equal(IPAddress.Parse("172.18.3.1"), office.Lan.Subnets[1].Via);
        Assert.True(topology.NodeNamed("home").BehindNat);
        var flow = topology.Flows[0];
        Assert.Equal("pad", flow.From);
        Assert.Equal(new FlowTarget("web", IPAddress.Parse("172.17.50.1"), 80, TransportProtocol.Tcp), flow.To);
        Assert.Contains(topology.Flows, candidate => candidate.Expect == FlowExpectation.Deny);
    }

    [Theory]
    [InlineData("seed.yaml")]
    [InlineData("seed-broken.yaml")]
    [InlineData("seed-copypaste.yaml")]
    [InlineData("mesh.yaml")]
    [InlineData("roadwarrior.yaml")]
    [InlineData("dualstack.yaml")]
    public void Every_example_loads(string example)
    {
        var result = TopologyLoader.Load(RepositoryPaths.Example(example));

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
    }

    [Fact]
    public void A_minimal_file_gets_defaults_and_assigned_addresses()
    {
        var topology = Load(Valid);

        Assert.Equal(51820, topology.Network.ListenPort);
        Assert.Equal(1420, topology.Network.Mtu);
        var site = topology.NodeNamed("site");
        Assert.True(site.OverlayAddressAssigned);
        Assert.True(topology.Network.Overlay.Contains(site.OverlayAddress));
        Assert.NotEqual(IPAddress.Parse("10.200.0.1"), site.OverlayAddress);
        Assert.Equal(NatMode.Masquerade, site.Nat);
        Assert.Equal([IPNetwork.Parse("10.1.0.0/24")], site.LanPrefixes);
        Assert.Equal(new FlowTarget("relay", IPAddress.Parse("10.200.0.1"), null, TransportProtocol.Icmp), topology.Flows[0].To);
    }

    [Theory]
    [InlineData("overlay: 10.200.0.0/24", "overlay: 10.200.0.0/33", 2, 12, "network.overlay", "not a CIDR prefix")]
    [InlineData("overlay: 10.200.0.0/24", "overlay: 10.200.0.7/24", 2, 12, "network.overlay", "host bits set; did you mean 10.200.0.0/24?")]
    [InlineData("address: 10.1.0.1/24", "address: 10.1.0.1/99", 12, 16, "nodes[1].lan.address", "not an address with prefix length")]
    [InlineData("    site: site", "    site: nowhere", 15, 11, "hosts[0].site", "no node named 'nowhere'")]
    [InlineData("    to: relay", "    to: ghost:80/tcp", 20, 9, "flows[0].to", "no host or node named 'ghost'")]
    [InlineData("  shape: hub", "  shape: star", 3, 10, "network.shape", "'star' is not a valid value")]
    [InlineData("  shape: hub", "  shape: hub\n  listen_port: many", 4, 16, "network.listen_port", "'many' is not an integer")]
    [InlineData("  shape: hub", "  shape: hub\n  mtu: [1420]", 4, 8, "network.mtu", "'a list' is not an integer")]
    [InlineData("    role: relay", "    role: relay\n    colour: red", 7, 5, "nodes[0].colour", "unknown field 'colour'")]
    [InlineData("  shape: hub", "  shap: hub", 3, 3, "network.shap", "unknown field 'shap'; did you mean 'shape'?")]
    [InlineData("    site: site", "    site: siet", 15, 11, "hosts[0].site", "no node named 'siet'; did you mean 'site'?")]
    [InlineData("    to: relay", "    to: rely:80/tcp", 20, 9, "flows[0].to", "no host or node named 'rely'; did you mean 'relay'?")]
    [InlineData("    role: relay", "    role: relay\n    uplink_mtu: 100", 7, 17, "nodes[0].uplink_mtu", "100 is out of range")]
    [InlineData("services: [22/tcp]", "services: [22/sctp]", 17, 16, "hosts[0].services[0]", "is not a service")]
    [InlineData("  - name: site", "  - name: relay", 9, 5, "nodes[1].name", "duplicate name 'relay' (first defined at t.yaml:5:5)")]
    [InlineData("  - name: pc", "  - name: site", 14, 5, "hosts[0].name", "duplicate name 'site'")]
    [InlineData("    address: 10.200.0.1", "    address: 10.9.0.1", 8, 14, "nodes[0].address", "outside the overlay 10.200.0.0/24")]
    [InlineData("address: 10.1.0.5", "address: 10.2.0.5", 16, 14, "hosts[0].address", "in none of site's LAN subnets")]
    [InlineData("    endpoint: 198.51.100.1:51820\n", "", 5, 5, "nodes[0].endpoint", "relay 'relay' has no public endpoint")]
    [InlineData("    role: relay", "    role: site", 2, 3, "network.hub", "a hub needs a relay")]
    [InlineData("  - name: site", "  - name: site\n    endpoint: null", 10, 15, "nodes[1].endpoint", "'null' is null, not text")]
    [InlineData("  - name: site", "  - name: site\n    endpoint: ~", 10, 15, "nodes[1].endpoint", "'~' is null, not text")]
    [InlineData("  - name: site", "  - name: 1", 9, 11, "nodes[1].name", "'1' is a number, not text")]
    [InlineData("  - name: site", "  - name: true", 9, 11, "nodes[1].name", "'true' is a boolean, not text")]
    [InlineData("    site: site", "    site: 1.5", 15, 11, "hosts[0].site", "'1.5' is a number, not text")]
    [InlineData("    role: relay", "    role: relay\n    behind_nat: \"yes\"", 7, 17, "nodes[0].behind_nat", "'yes' is not a boolean")]
    [InlineData("    role: relay", "    role: relay\n    behind_nat: yes", 7, 17, "nodes[0].behind_nat", "'yes' is not a boolean")]
    [InlineData("    role: relay", "    role: relay\n    behind_nat: 'true'", 7, 17, "nodes[0].behind_nat", "'true' is not a boolean (quoted, so text: write it without quotes)")]
    [InlineData("  shape: hub", "  shape: hub\n  listen_port: \"51820\"", 4, 16, "network.listen_port", "'51820' is not an integer (quoted, so text: write it without quotes)")]
    public void Bad_input_is_reported_at_its_exact_position(string find, string replace, int line, int column, string field, string message) =>
        LoaderDiagnostics.AssertReportedAt(Valid, find, replace, line, column, field, message);

    [Fact]
    public void Quoted_text_that_looks_like_a_number_boolean_or_null_is_text()
    {
        var text = Valid.Replace("  - name: site", "  - name: \"1\"", StringComparison.Ordinal).Replace("    site: site", "    site: '1'", StringComparison.Ordinal)
            .Replace("    role: relay", "    role: relay\n    behind_nat: TRUE", StringComparison.Ordinal);

        var result = TopologyLoader.LoadText(text, "t.yaml");

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal(["relay", "1"], result.Topology.Nodes.Select(node => node.Name));
        Assert.True(result.Topology.NodeNamed("relay").BehindNat);
    }

    [Fact]
    public void Malformed_yaml_is_reported_with_its_position()
    {
        var result = TopologyLoader.LoadText("network:\n  overlay: [10.0.0.0/24\nnodes: []\n", "t.yaml");

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("(yaml)", diagnostic.Field);
        Assert.Equal(2, diagnostic.Location.Line);
    }

    [Fact]
    public void A_duplicate_key_is_reported()
    {
        var result = TopologyLoader.LoadText("network:\n  overlay: 10.0.0.0/24\n  overlay: 10.1.0.0/24\n", "t.yaml");

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal((3, 3), (diagnostic.Location.Line, diagnostic.Location.Column));
        Assert.Contains("Duplicate key", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mesh_where_two_nodes_cannot_reach_each_other_and_no_relay_exists_is_explained()
    {
        const string text = """
            network:
              overlay: 10.200.0.0/24
              shape: mesh
            nodes:
              - name: a
                endpoint: 198.51.100.1
              - name: b
              - name: c
            """;

        var result = TopologyLoader.LoadText(text, "m.yaml");

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("network.shape", diagnostic.Field);
        Assert.Contains("b and c have no public endpoint", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_a_diagnostic_not_an_exception()
    {
        var result = TopologyLoader.Load("/nonexistent/topology.yaml");

        Assert.False(result.Succeeded);
        Assert.Equal("(file)", Assert.Single(result.Diagnostics).Field);
    }

    private static Sitewire.Config.Topology.Topology Load(string text)
    {
        var result = TopologyLoader.LoadText(text, "t.yaml");
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return result.Topology;
    }
}
