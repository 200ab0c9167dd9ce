using Sitewire.Config.Topology;

namespace Sitewire.Config.Tests.Topology;

/// <summary>Fields that end up in generated commands and config lines are checked against their real grammar at load time.</summary>
public sealed class CommandFieldValidationTests
{
    private const string Valid = """
        network:
          overlay: 10.200.0.0/24
          shape: hub
        nodes:
          - name: relay
            role: relay
            os: rocky
            endpoint: 198.51.100.1:51820
            public_interface: eth0
          - name: site
            lan:
              interface: eth1
              address: 10.1.0.1/24
        """;

    [Theory]
    [InlineData("eth0);fi;touch /tmp/PWNED;if true;then z=$(echo")]
    [InlineData("\"eth0\\nPostUp = touch /tmp/PWNED\"")]
    [InlineData("eth 0")]
    [InlineData("a-name-longer-than-15")]
    [InlineData("eth0#x")]
    [InlineData("\"..\"")]
    [InlineData("$IFS")]
    public void A_public_interface_that_is_no_interface_name_is_refused_where_it_stands(string value) =>
        LoaderDiagnostics.AssertReportedAt(Valid, "public_interface: eth0", $"public_interface: {value}", 9, 23, "nodes[0].public_interface", "is not a valid interface name");

    [Theory]
    [InlineData("eth1;id")]
    [InlineData("\"eth1\\tx\"")]
    public void A_lan_interface_that_is_no_interface_name_is_refused_alone(string value) =>
        LoaderDiagnostics.AssertReportedAt(Valid, "interface: eth1", $"interface: {value}", 12, 18, "nodes[1].lan.interface", "is not a valid interface name");

    [Theory]
    [InlineData("\"relay\\0.example\"")]
    [InlineData("\"\\e[2Jrelay\"")]
    [InlineData("\"relay#1\"")]
    [InlineData("\"$(reboot)\"")]
    [InlineData("relay..example.com")]
    [InlineData("-relay.example.com")]
    [InlineData("1.2.3")]
    [InlineData("999.1.1.1")]
    [InlineData("\"[fe80::1%eth0]:51820\"")]
    [InlineData("\"[::ffff:1.2.3.4%x]\"")]
    public void An_endpoint_host_that_is_neither_a_dns_name_nor_an_address_is_refused(string value)
    {
        var result = TopologyLoader.LoadText(Valid.Replace("198.51.100.1:51820", value, StringComparison.Ordinal), "t.yaml");

        var diagnostic = Assert.Single(result.Diagnostics, candidate => candidate.Message.Contains("has no valid host", StringComparison.Ordinal));
        Assert.Equal(("nodes[0].endpoint", 8, 15), (diagnostic.Field, diagnostic.Location.Line, diagnostic.Location.Column));
    }

    [Theory]
    [InlineData("vpn.example.com", "vpn.example.com", 51820)]
    [InlineData("relay_1.corp.example.:4500", "relay_1.corp.example.", 4500)]
    [InlineData("203.0.113.10", "203.0.113.10", 51820)]
    [InlineData("\"[2001:db8::1]:51821\"", "2001:db8::1", 51821)]
    [InlineData("xn--bcher-kva.example", "xn--bcher-kva.example", 51820)]
    public void Dns_names_and_address_literals_are_endpoint_hosts(string value, string host, int port)
    {
        var result = TopologyLoader.LoadText(Valid.Replace("198.51.100.1:51820", value, StringComparison.Ordinal), "t.yaml");

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal(new PublicEndpoint(host, port), result.Topology.NodeNamed("relay").Endpoint);
    }

    [Theory]
    [InlineData("eth0", true)]
    [InlineData("ens33", true)]
    [InlineData("br-lan.100", true)]
    [InlineData("wg+x=1_a", true)]
    [InlineData("abcdefghijklmno", true)]
    [InlineData("abcdefghijklmnop", false)]
    [InlineData("", false)]
    [InlineData(".", false)]
    [InlineData("..", false)]
    [InlineData("eth0/1", false)]
    [InlineData("eth0:1", false)]
    [InlineData("éth0", false)]
    public void Interface_names_follow_one_grammar(string name, bool valid) =>
        Assert.Equal(valid, TopologyValues.IsInterfaceName(name));
}
