using Sitewire.Host.Linux;
using Sitewire.Netfilter;

namespace Sitewire.Host.Tests.Linux;

public class IpJsonTests
{
    [Fact]
    public void Routes_of_all_tables_with_host_routes_as_slash_32()
    {
        var routes = IpJson.ParseRoutes(Recorded.Read("office.routes.json"), IpFamily.V4);

        Assert.Contains(routes, r => r is { Destination: "default", Gateway: "100.64.1.1", Device: "wan0", Table: "main" });
        Assert.Contains(routes, r => r is { Destination: "172.17.50.0/24", Gateway: "172.18.3.1", Device: "ens33" });
        Assert.Contains(routes, r => r is { Destination: "192.168.3.0/24", Device: "wireguard0", Gateway: null });
        Assert.Contains(routes, r => r is { Destination: "192.168.200.1/32", Table: "local", Type: "local" });
    }

    [Fact]
    public void Ipv6_routes_with_host_routes_as_slash_128_and_their_family()
    {
        var routes = IpJson.ParseRoutes(Recorded.Read("hq-dualstack.routes6.json"), IpFamily.V6);

        Assert.Contains(routes, r => r is { Destination: "fd00:10:20::/64", Device: "wg0", Table: "main", Type: "unicast" });
        Assert.Contains(routes, r => r is { Destination: "fd00:60::a/128", Table: "local", Type: "local" });
        Assert.All(routes, r => Assert.Equal(IpFamily.V6, r.Family));
    }

    [Theory]
    [InlineData("default", "inet", "10.1.0.0/24", true)]
    [InlineData("default", "inet", "fd00:1::/64", false)]
    [InlineData("default", "inet6", "::/0", true)]
    [InlineData("default", "inet6", "0.0.0.0/0", false)]
    [InlineData("fd00:1::/48", "inet6", "fd00:1:0:2::/64", true)]
    [InlineData("fd00:1:0:2::/64", "inet6", "fd00:1::/48", false)]
    [InlineData("10.0.0.0/8", "inet", "10.1.0.0/24", true)]
    public void A_route_covers_prefixes_of_its_family_inside_it(string destination, string family, string prefix, bool covers)
    {
        var route = new RouteState(destination, null, "wg0", "main", "unicast", family == "inet6" ? IpFamily.V6 : IpFamily.V4);

        Assert.Equal(covers, route.Covers(System.Net.IPNetwork.Parse(prefix)));
    }

    [Fact]
    public void Links_with_state_mtu_and_kind()
    {
        var links = IpJson.ParseLinks(Recorded.Read("office.link.json"));

        Assert.Contains(links, l => l is { Name: "wireguard0", Up: true, Mtu: 1420, Kind: "tun" });
        Assert.Contains(links, l => l is { Name: "ens33", Up: true, Mtu: 1500, Kind: "veth" });
    }

    [Fact]
    public void Addresses_per_interface()
    {
        var addresses = IpJson.ParseAddresses(Recorded.Read("office.addr.json"));

        Assert.Contains(addresses, a => a is { Interface: "ens33", Family: "inet", Address: "172.18.3.16", PrefixLength: 24 });
        Assert.Contains(addresses, a => a is { Interface: "wireguard0", Address: "192.168.200.1", PrefixLength: 24 });
    }
}
