using System.Net;
using Sitewire.Host.Linux;
using Sitewire.Netfilter;

namespace Sitewire.Host.Tests.Linux;

public class NetfilterEvaluatorTests
{
    private static readonly IPNetwork Home = IPNetwork.Parse("192.168.3.0/24");
    private static readonly IPNetwork Office = IPNetwork.Parse("172.18.3.0/24");

    [Fact]
    public void Masquerade_applies_only_to_the_sources_and_interface_of_the_rule()
    {
        var ruleset = NftJson.Parse(Recorded.Read("office-iptables-nft.nft.json"));

        Assert.NotNull(NetfilterEvaluator.SourceNat(ruleset, new(IpFamily.V4, "wireguard0", "ens33", Home, Office, null, null, "new")));
        Assert.Null(NetfilterEvaluator.SourceNat(ruleset, new(IpFamily.V4, "wireguard0", "wan0", Home, null, null, null, "new")));
        Assert.Null(NetfilterEvaluator.SourceNat(ruleset, new(IpFamily.V4, "wireguard0", "ens33", IPNetwork.Parse("10.9.0.0/16"), Office, null, null, "new")));
    }

    [Fact]
    public void An_address_type_match_is_judged_where_the_hook_tells_it_and_is_a_doubt_elsewhere()
    {
        var ruleset = IptablesSave.Parse("""
            *filter
            :INPUT ACCEPT [0:0]
            :FORWARD ACCEPT [0:0]
            -A INPUT -m addrtype --dst-type LOCAL -j ACCEPT
            -A INPUT -m addrtype --dst-type MULTICAST -j DROP
            -A INPUT -j DROP
            -A FORWARD -m addrtype --dst-type LOCAL -j DROP
            -A FORWARD -m addrtype --dst-type BLACKHOLE -j DROP
            COMMIT
            *nat
            :PREROUTING ACCEPT [0:0]
            -A PREROUTING -m addrtype --dst-type LOCAL -j DNAT --to-destination 10.0.0.2
            COMMIT
            """);
        var toHost = new NetfilterPacket(IpFamily.V4, "eth0", null, null, IPNetwork.Parse("203.0.113.10/32"), "udp", 51820, "new");
        var forwarded = new NetfilterPacket(IpFamily.V4, "wg0", "eth1", Home, Office, "tcp", 22, "new");

        Assert.Null(NetfilterEvaluator.Blocker(ruleset, "input", toHost));
        var forward = Assert.Single(NetfilterEvaluator.Walk(ruleset, "forward", "filter", forwarded));
        Assert.Equal("accept", forward.Verdict);
        Assert.Contains("BLACKHOLE", Assert.Single(forward.Unevaluated).Text, StringComparison.Ordinal);
        var prerouting = Assert.Single(NetfilterEvaluator.Walk(ruleset, "prerouting", "nat", toHost));
        Assert.False(prerouting.IsCertain);
    }

    [Fact]
    public void Drop_policy_blocks_unless_a_rule_accepts_and_established_rules_do_not_open_new_connections()
    {
        var ruleset = IptablesSave.Parse("""
            *filter
            :FORWARD DROP [0:0]
            -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
            -A FORWARD -i wg0 -o eth1 -j ACCEPT
            COMMIT
            """);

        Assert.Null(NetfilterEvaluator.Blocker(ruleset, "forward", new(IpFamily.V4, "wg0", "eth1", Home, Office, null, null, "new")));
        Assert.Null(NetfilterEvaluator.Blocker(ruleset, "forward", new(IpFamily.V4, "eth1", "wg0", Office, Home, null, null, "established")));
        var blocked = NetfilterEvaluator.Blocker(ruleset, "forward", new(IpFamily.V4, "eth1", "wg0", Office, Home, null, null, "new"));
        Assert.NotNull(blocked);
        Assert.Null(blocked.Rule);
        Assert.Equal("drop", blocked.Verdict);
    }

    [Fact]
    public void Jumps_are_followed_and_port_rules_apply_only_to_their_port()
    {
        var ruleset = IptablesSave.Parse("""
            *filter
            :INPUT ACCEPT [0:0]
            :guard - [0:0]
            -A INPUT -j guard
            -A guard -p udp --dport 51820 -j DROP
            -A guard -p tcp --dport 22 -j ACCEPT
            COMMIT
            """);

        var blocker = NetfilterEvaluator.Blocker(ruleset, "input", new(IpFamily.V4, "eth0", null, null, null, "udp", 51820, "new"));
        Assert.Equal("guard", blocker?.Rule?.Chain);
        Assert.Null(NetfilterEvaluator.Blocker(ruleset, "input", new(IpFamily.V4, "eth0", null, null, null, "udp", 51821, "new")));
    }

    [Fact]
    public void Every_base_chain_at_the_hook_must_accept()
    {
        var ruleset = NftJson.Parse("""
            {"nftables": [
              {"chain": {"family": "inet", "table": "a", "name": "in", "type": "filter", "hook": "input", "prio": 0, "policy": "accept"}},
              {"chain": {"family": "ip", "table": "b", "name": "in", "type": "filter", "hook": "input", "prio": 10, "policy": "accept"}},
              {"rule": {"family": "ip", "table": "b", "chain": "in", "expr": [
                {"match": {"op": "==", "left": {"payload": {"protocol": "udp", "field": "dport"}}, "right": 51820}}, {"drop": null}]}}
            ]}
            """);

        Assert.Equal("b", NetfilterEvaluator.Blocker(ruleset, "input", new(IpFamily.V4, "eth0", null, null, null, "udp", 51820, "new"))?.Chain.Table);
    }

    [Fact]
    public void A_packet_walks_only_the_chains_of_its_family_and_inet()
    {
        var ruleset = IptablesSave.Parse("*filter\n:FORWARD DROP [0:0]\nCOMMIT\n", "ip6").Merge(IptablesSave.Parse("*filter\n:FORWARD ACCEPT [0:0]\nCOMMIT\n", "ip"));
        var v6 = IPNetwork.Parse("fd00:10:20::/64");

        Assert.Null(NetfilterEvaluator.Blocker(ruleset, "forward", new(IpFamily.V4, "wg0", "eth1", Home, Office, null, null, "new")));
        Assert.Equal("ip6", NetfilterEvaluator.Blocker(ruleset, "forward", new(IpFamily.V6, "wg0", "eth1", v6, null, null, null, "new"))?.Chain.Family);
    }

    [Fact]
    public void Address_matches_of_one_family_in_an_inet_chain_do_not_apply_to_the_other()
    {
        var ruleset = NftJson.Parse(Recorded.Read("hq-dualstack.nft.json"));
        var v6 = IPNetwork.Parse("fd00:10:20::/64");

        Assert.Equal("inet sitewire_wg0 postrouting: saddr fd00:10:20::/64 nfproto ipv6 oifname eth1 masquerade",
            NetfilterEvaluator.SourceNat(ruleset, new(IpFamily.V6, "wg0", "eth1", v6, null, null, null, "new"))?.Text);
        Assert.Null(NetfilterEvaluator.SourceNat(ruleset, new(IpFamily.V6, "wg0", "eth1", null, null, null, null, "new")));
        Assert.Null(NetfilterEvaluator.SourceNat(ruleset, new(IpFamily.V6, "wg0", "eth1", IPNetwork.Parse("fd00:99::/64"), null, null, null, "new")));
        Assert.NotNull(NetfilterEvaluator.SourceNat(ruleset, new(IpFamily.V4, "wg0", "eth1", IPNetwork.Parse("10.20.0.0/24"), null, null, null, "new")));
    }

    [Fact]
    public void An_echo_request_match_read_from_nft_or_iptables_save_takes_new_pings_only()
    {
        var nft = NftJson.Parse("""
            {"nftables": [
              {"chain": {"family": "inet", "table": "t", "name": "f", "type": "filter", "hook": "forward", "prio": 0, "policy": "accept"}},
              {"rule": {"family": "inet", "table": "t", "chain": "f", "expr": [
                {"match": {"op": "==", "left": {"payload": {"protocol": "icmp", "field": "type"}}, "right": "echo-request"}}, {"drop": null}]}}
            ]}
            """);
        var saved = IptablesSave.Parse("*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -p icmp -m icmp --icmp-type 8 -j DROP\nCOMMIT\n");
        var ping = new NetfilterPacket(IpFamily.V4, "wg0", "eth1", Home, Office, "icmp", null, "new");

        foreach (var ruleset in new[] { nft, saved })
        {
            var rule = Assert.Single(ruleset.Rules);
            Assert.False(rule.HasUnknownMatch);
            Assert.NotNull(NetfilterEvaluator.Blocker(ruleset, "forward", ping));
            Assert.Null(NetfilterEvaluator.Blocker(ruleset, "forward", ping with { State = "established" }));
            Assert.Null(NetfilterEvaluator.Blocker(ruleset, "forward", ping with { Protocol = "tcp", DestinationPort = 80 }));
        }
        Assert.False(nft.Rules[0].Means(saved.Rules[0]), "an inet rule is not an ip one");
        Assert.True(saved.Rules[0].Means(saved.Rules[0] with { Matches = new Dictionary<string, string> { ["icmptype"] = "echo-request", ["l4proto"] = "icmp" }, Text = "" }));
    }

    [Fact]
    public void Rules_mean_the_same_whatever_their_text_list_order_host_prefix_or_range_separator()
    {
        var planned = new NetfilterRule("inet", "t", "c", new Dictionary<string, string> { ["saddr"] = "10.0.0.1/32,10.0.0.2/32", ["mss"] = "1381:65535" }, "accept", false, "planned");
        var live = planned with { Matches = new Dictionary<string, string> { ["mss"] = "1381-65535", ["saddr"] = "10.0.0.2,10.0.0.1" }, Text = "live" };

        Assert.True(planned.Means(live));
        Assert.False(planned.Means(live with { Verdict = "drop" }));
        Assert.False(planned.Means(live with { Matches = new Dictionary<string, string> { ["saddr"] = "10.0.0.2" } }));
    }
}
