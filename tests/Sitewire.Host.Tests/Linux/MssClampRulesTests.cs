using Sitewire.Host.Linux;
using Sitewire.Netfilter;

namespace Sitewire.Host.Tests.Linux;

/// <summary>
/// The plan's MSS clamps as the doctor reads them back from a live ruleset (recorded from the seed plan's PostUp on real
/// iptables-nft and nft): `-j TCPMSS` and `tcp option maxseg size set` are clamps, matched by direction, never a doubt
/// about a forward verdict.
/// </summary>
public class MssClampRulesTests
{
    private static NetfilterPacket Syn(string inInterface, string outInterface, IpFamily? family = null) =>
        new(family ?? IpFamily.V4, inInterface, outInterface, null, null, "tcp", null, "new");

    [Fact]
    public void Iptables_save_reads_tcpmss_rules_with_their_syn_and_mss_matches()
    {
        var ruleset = IptablesSave.Parse(Recorded.Read("clamp-wireguard0.iptables-save.txt"));

        var clamps = ruleset.Rules.Where(r => r.Verdict == NetfilterEvaluator.Clamp).ToList();
        Assert.Equal(2, clamps.Count);
        Assert.All(clamps, r => Assert.False(r.HasUnknownMatch, r.Text));
        Assert.All(clamps, r => Assert.Equal("syn", r.Matches["tcpflags"]));
        Assert.Equal("1381:65535", clamps[1].Matches["mss"]);
    }

    [Fact]
    public void Nft_json_reads_maxseg_mangles_as_clamps()
    {
        var ruleset = NftJson.Parse(Recorded.Read("clamp-wireguard0.nft.json"));

        var clamps = ruleset.Rules.Where(r => r.Verdict == NetfilterEvaluator.Clamp).ToList();
        Assert.Equal(2, clamps.Count);
        Assert.All(clamps, r => Assert.False(r.HasUnknownMatch, r.Text));
        Assert.Equal("wireguard0", clamps[0].Matches["oifname"]);
        Assert.Equal(("wireguard0", "1381-65535", "ipv4"), (clamps[1].Matches["iifname"], clamps[1].Matches["mss"], clamps[1].Matches["nfproto"]));
    }

    [Theory]
    [InlineData("iptables")]
    [InlineData("nft")]
    public void The_clamps_apply_to_syns_forwarded_each_way_and_only_there(string backend)
    {
        var ruleset = backend == "nft"
            ? NftJson.Parse(Recorded.Read("clamp-wireguard0.nft.json"))
            : IptablesSave.Parse(Recorded.Read("clamp-wireguard0.iptables-save.txt"));

        Assert.Single(NetfilterEvaluator.Clamps(ruleset, "forward", Syn("ens3", "wireguard0")));
        Assert.Single(NetfilterEvaluator.Clamps(ruleset, "forward", Syn("wireguard0", "ens3")));
        Assert.Empty(NetfilterEvaluator.Clamps(ruleset, "forward", Syn("ens3", "eth9") with { InInterface = "eth9" }));
        Assert.Empty(NetfilterEvaluator.Clamps(ruleset, "forward", Syn("ens3", "wireguard0") with { Protocol = "udp" }));
        Assert.All(NetfilterEvaluator.Walk(ruleset, "forward", "filter", Syn("ens3", "wireguard0")), verdict => Assert.True(verdict.IsCertain));
    }

    [Fact]
    public void A_target_option_without_value_may_end_the_line()
    {
        var rule = Assert.Single(IptablesSave.Parse("*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -o eth1 -j MASQUERADE --random-fully\nCOMMIT\n").Rules);

        Assert.Equal("masquerade", rule.Verdict);
    }
}
