using Sitewire.Netfilter;
using Sitewire.Planner.Model;

namespace Sitewire.Planner.Tests.Model;

/// <summary>
/// The seed report's network, built by hand: relay (cloud, 192.168.200.254), office node (192.168.200.1, ens33 in
/// 172.18.3.0/24, the service net 172.17.50.0/24 behind the office router), home node (192.168.200.2, ens3 in
/// 192.168.3.0/24) with a terminal and a NAS. The home node masquerades into the tunnel, as in the seed.
/// </summary>
internal static class SeedNetwork
{
    public const string RelayKey = "relay-key";
    public const string OfficeKey = "office-key";
    public const string HomeKey = "home-key";
    public static readonly Address Service = Address.Parse("172.17.50.1");
    public static readonly Address Nas = Address.Parse("192.168.3.20");

    public static Network Build(bool officeMasquerade = true, bool relayForwarding = true, bool homeNasInAllowedIps = true)
    {
        var network = new Network();
        var internet = network.Segment("internet");
        var officeLan = network.Segment("office-lan");
        var serviceLan = network.Segment("service-lan");
        var homeLan = network.Segment("home-lan");

        var relay = network.AddHost("relay", HostRole.Node);
        relay.IpForward = relayForwarding;
        relay.AnswersAnyPort = true;
        relay.AddInterface("eth0", Address.Parse("203.0.113.10"), 24, internet);
        relay.AddRoute(Prefix.AnyV4, "eth0", Address.Parse("203.0.113.1"), RouteOrigin.Uplink);
        var relayWg = relay.AddWireGuard("wireguard0", RelayKey);
        relayWg.AddAddress(Address.Parse("192.168.200.254"), 24);
        relayWg.AddPeer("office", OfficeKey, Prefixes("192.168.200.1/32", "172.18.3.0/24", "172.17.50.0/24"), persistentKeepalive: 20);
        relayWg.AddPeer("home", HomeKey, homeNasInAllowedIps ? Prefixes("192.168.200.2/32", "192.168.3.0/24") : Prefixes("192.168.200.2/32"), persistentKeepalive: 20);
        relay.AddWgQuickRoutes(relayWg);

        var office = network.AddHost("office", HostRole.Node);
        office.IpForward = true;
        office.AnswersAnyPort = true;
        office.AddInterface("ens33", Address.Parse("172.18.3.16"), 24, officeLan);
        office.AddRoute(Prefix.Parse("172.17.50.0/24"), "ens33", Address.Parse("172.18.3.1"));
        office.AddRoute(Prefix.AnyV4, "ens33", Address.Parse("172.18.3.1"), RouteOrigin.Uplink);
        var officeWg = office.AddWireGuard("wireguard0", OfficeKey);
        officeWg.AddAddress(Address.Parse("192.168.200.1"), 24);
        officeWg.AddPeer("relay", RelayKey, Prefixes("192.168.200.0/24", "192.168.3.0/24"), "203.0.113.10:51820", 20);
        office.AddWgQuickRoutes(officeWg);
        if (officeMasquerade)
        {
            office.Ruleset = Masquerade("ens33");
        }

        var router = network.AddHost("office-router", HostRole.Router);
        router.IpForward = true;
        router.AddInterface("lan", Address.Parse("172.18.3.1"), 24, officeLan);
        router.AddInterface("services", Address.Parse("172.17.50.254"), 24, serviceLan);
        router.AddInterface("wan", Address.Parse("198.51.100.2"), 24, internet);
        router.AddRoute(Prefix.AnyV4, "wan", Address.Parse("198.51.100.1"), RouteOrigin.Uplink);

        var web = network.AddHost("web", HostRole.LanHost);
        web.AddInterface("eth0", Service, 24, serviceLan);
        web.AddRoute(Prefix.AnyV4, "eth0", Address.Parse("172.17.50.254"));
        web.Services.Add((Protocol.Tcp, 80));

        var home = network.AddHost("home", HostRole.Node);
        home.IpForward = true;
        home.AnswersAnyPort = true;
        home.RuleSyntax = RuleSyntax.Iptables;
        home.AddInterface("ens3", Address.Parse("192.168.3.36"), 24, homeLan);
        home.AddRoute(Prefix.AnyV4, "ens3", Address.Parse("192.168.3.1"), RouteOrigin.Uplink);
        var homeWg = home.AddWireGuard("wireguard0", HomeKey);
        homeWg.AddAddress(Address.Parse("192.168.200.2"), 24);
        homeWg.AddPeer("relay", RelayKey, Prefixes("192.168.200.0/24", "172.18.3.0/24", "172.17.50.0/24"), "203.0.113.10:51820", 20);
        home.AddWgQuickRoutes(homeWg);
        home.Ruleset = Masquerade("wireguard0", "192.168.3.0/24");

        var pad = network.AddHost("pad", HostRole.LanHost);
        pad.AddInterface("wlan0", Address.Parse("192.168.3.50"), 24, homeLan);
        pad.AddRoute(Prefix.AnyV4, "wlan0", Address.Parse("192.168.3.36"));

        var nas = network.AddHost("nas", HostRole.LanHost);
        nas.AddInterface("eth0", Nas, 24, homeLan);
        nas.AddRoute(Prefix.AnyV4, "eth0", Address.Parse("192.168.3.36"));
        nas.Services.Add((Protocol.Tcp, 5000));
        return network;
    }

    public static Prefix[] Prefixes(params string[] prefixes) => [.. prefixes.Select(Prefix.Parse)];

    /// <summary>An IPv4 nat POSTROUTING masquerade out of <paramref name="outInterface"/>, from <paramref name="source"/> when given.</summary>
    public static NetfilterRuleset Masquerade(string outInterface, string? source = null)
    {
        var matches = new Dictionary<string, string> { ["oifname"] = outInterface };
        if (source is not null)
        {
            matches["saddr"] = source;
        }
        return NetfilterRuleset.Empty
            .With(new NetfilterChain("ip", "nat", "POSTROUTING", "postrouting", "nat", "accept"))
            .Appended(new NetfilterRule("ip", "nat", "POSTROUTING", matches, "masquerade", false, $"POSTROUTING -o {outInterface} -j MASQUERADE"));
    }
}
