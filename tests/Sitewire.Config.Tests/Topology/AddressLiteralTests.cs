using Sitewire.Config.Topology;

namespace Sitewire.Config.Tests.Topology;

/// <summary>
/// Addresses as the file writes them (and the schema's patterns say): IPAddress.TryParse alone took "51820" as
/// 0.0.202.108 and "[fd00::1]:51820" as fd00::1, so a port or a bare number loaded as a router or an overlay address.
/// </summary>
public class AddressLiteralTests
{
    [Theory]
    [InlineData("10.0.0.1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("51820", false)]
    [InlineData("10.1", false)]
    [InlineData("010.0.0.1", false)]
    [InlineData("[fd00::1]:51820", false)]
    [InlineData("[fd00::1]", false)]
    [InlineData("fe80::1%eth0", false)]
    [InlineData("10.0.0.1/24", false)]
    public void Only_dotted_quads_and_plain_ipv6_are_addresses(string text, bool address)
    {
        Assert.Equal(address, TopologyValues.ParseAddress(text, out _) is not null);
        Assert.Equal(address, TopologyValues.ParseInterfaceAddress(text + "/24", out _) is not null);
    }

    [Fact]
    public void A_router_given_as_a_number_is_refused_at_its_field()
    {
        const string yaml = """
            network:
              overlay: 10.200.0.0/24
            nodes:
              - name: relay
                role: relay
                endpoint: 203.0.113.10:51820
              - name: site
                lan:
                  interface: eth1
                  address: 10.1.0.1/24
            hosts:
              - name: nas
                site: site
                address: 10.1.0.20
                gateway: router-without-route
                router: 51820
            """;

        var diagnostic = Assert.Single(TopologyLoader.LoadText(yaml, "t.yaml").Diagnostics);

        Assert.Equal("hosts[0].router", diagnostic.Field);
        Assert.Contains("'51820' is a number, not text", diagnostic.Message, StringComparison.Ordinal);
    }
}
