using Sitewire.Netfilter;
using Sitewire.Host.Linux;

namespace Sitewire.Host.Tests.Linux;

public class NetfilterParserTests
{
    [Fact]
    public void Nft_json_shows_iptables_nft_rules_with_their_matches_and_targets()
    {
        var ruleset = NftJson.Parse(Recorded.Read("office-iptables-nft.nft.json"));

        var forward = Assert.Single(ruleset.Chains, c => c.Name == "FORWARD");
        Assert.Equal(("ip", "filter", "forward", "accept"), (forward.Family, forward.Table, forward.Hook, forward.Policy));
        var masquerades = ruleset.Rules.Where(r => r.Verdict == "masquerade").ToList();
        Assert.Equal(2, masquerades.Count);
        Assert.All(masquerades, r => Assert.Equal("ens33", r.Matches["oifname"]));
        Assert.Equal(["192.168.200.0/24", "192.168.3.0/24"], masquerades.Select(r => r.Matches["saddr"]));
        Assert.All(ruleset.Rules, r => Assert.False(r.HasUnknownMatch));
    }

    [Fact]
    public void Nft_ip_and_ip6_address_matches_carry_their_family()
    {
        var ruleset = NftJson.Parse(Recorded.Read("hq-dualstack.nft.json"));

        Assert.Equal(["ipv4", "ipv6", "ipv4", "ipv6"], ruleset.Rules.Select(r => r.Matches["nfproto"]));
        Assert.Equal(["10.60.0.0/24", "fd00:60::/64", "10.20.0.0/24", "fd00:10:20::/64"], ruleset.Rules.Select(r => r.Matches["saddr"]));
        Assert.All(ruleset.Rules, r => Assert.False(r.HasUnknownMatch));
    }

    [Fact]
    public void Ip6tables_save_rules_are_of_family_ip6()
    {
        var ruleset = IptablesSave.Parse("*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -s fd00:60::/64 -o eth1 -j MASQUERADE\nCOMMIT\n", "ip6");

        var rule = Assert.Single(ruleset.Rules);
        Assert.Equal(("ip6", "fd00:60::/64", "masquerade"), (rule.Family, rule.Matches["saddr"], rule.Verdict));
        Assert.Equal("ip6tables -t nat -A POSTROUTING -s fd00:60::/64 -o eth1 -j MASQUERADE", rule.Text);
        Assert.Equal("ip6", Assert.Single(ruleset.Chains).Family);
    }

    [Fact]
    public void Iptables_save_gives_the_same_rules()
    {
        var ruleset = IptablesSave.Parse(Recorded.Read("office.iptables-save.txt"));

        Assert.Equal(2, ruleset.Rules.Count(r => r is { Table: "nat", Chain: "POSTROUTING", Verdict: "masquerade" }));
        var accept = Assert.Single(ruleset.Rules, r => r.Chain == "FORWARD" && r.Matches["iifname"] == "wireguard0");
        Assert.Equal("ens33", accept.Matches["oifname"]);
        Assert.Equal("accept", accept.Verdict);
        Assert.Contains(ruleset.Chains, c => c is { Name: "POSTROUTING", Hook: "postrouting", Type: "nat" });
    }

    [Fact]
    public void Iptables_save_negation_conntrack_ports_and_unknown_options()
    {
        var ruleset = IptablesSave.Parse("""
            *filter
            :INPUT DROP [0:0]
            :FORWARD ACCEPT [0:0]
            :custom - [0:0]
            -A INPUT ! -i lo -p udp -m udp --dport 51820 -j ACCEPT
            -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
            -A INPUT -m mark --mark 0x1 -j DROP
            -A FORWARD -j custom
            COMMIT
            """);

        var input = ruleset.Rules.Where(r => r.Chain == "INPUT").ToList();
        Assert.Equal("lo", input[0].Matches["!iifname"]);
        Assert.Equal("51820", input[0].Matches["dport"]);
        Assert.Equal("related,established", input[1].Matches["ctstate"]);
        Assert.True(input[2].HasUnknownMatch);
        Assert.Equal("jump:custom", ruleset.Rules.Single(r => r.Chain == "FORWARD").Verdict);
        Assert.Equal("drop", ruleset.Chain("ip", "filter", "INPUT")!.Policy);
        Assert.Null(ruleset.Chain("ip", "filter", "custom")!.Hook);
    }
}
