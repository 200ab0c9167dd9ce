using System.Net;
using Sitewire.Host.Linux;
using Sitewire.Netfilter;
using Sitewire.Planner.Layout;

namespace Sitewire.Host.Tests.Lab;

/// <summary>
/// A NAT router's rules are one value: verify evaluates <see cref="StartingRuleset.OfNatRouter"/>, the lab loads the script
/// <see cref="NftSyntax.Script"/> writes from it, and what nft 1.0.6 listed after loading that script (nat-router.nft.json)
/// reads back as the same rules. The lab end-to-end test compares the live routers the same way.
/// </summary>
public class NatRouterRulesTests
{
    private static readonly NatRouting Router = new("wan0", IPAddress.Parse("198.51.100.2"), [new PortForward(51823, IPAddress.Parse("100.64.0.2"), 51820)]);

    [Fact]
    public void The_script_the_lab_loads_is_written_from_the_values_verify_evaluates()
    {
        Assert.Equal(
            "table ip nat { chain prerouting { type nat hook prerouting priority -100; policy accept; ip daddr 198.51.100.2/32 udp dport 51823 dnat to 100.64.0.2:51820; };"
            + " chain postrouting { type nat hook postrouting priority 100; policy accept; oifname \"wan0\" masquerade; }; }\n",
            NftSyntax.Script(StartingRuleset.OfNatRouter(Router)));
    }

    [Fact]
    public void What_nft_lists_after_loading_it_means_the_same_rules()
    {
        var planned = StartingRuleset.OfNatRouter(Router);
        var live = NftJson.Parse(Recorded.Read("nat-router.nft.json"));

        Assert.Equal(planned.Rules.Count, live.Rules.Count);
        Assert.All(planned.Rules, rule => Assert.Single(live.Rules, l => l.Means(rule)));
        Assert.Equal("100.64.0.2:51820", Assert.Single(live.Rules, r => r.Verdict == "dnat").MapsTo);
    }

    [Fact]
    public void A_port_forward_decides_in_nat_prerouting_and_iptables_writes_it_as_iptables_save_reads_it()
    {
        var planned = StartingRuleset.OfNatRouter(Router);
        var dnat = Assert.Single(planned.Rules, r => r.Verdict == "dnat");
        var toPublicPort = new NetfilterPacket(IpFamily.V4, "wan0", null, IPNetwork.Parse("203.0.113.10/32"), IPNetwork.Parse("198.51.100.2/32"), "udp", 51823, "new");

        Assert.Same(dnat, Assert.Single(NetfilterEvaluator.Walk(planned, "prerouting", "nat", toPublicPort)).Rule);
        Assert.Null(Assert.Single(NetfilterEvaluator.Walk(planned, "prerouting", "nat", toPublicPort with { DestinationPort = 51820 })).Rule);
        var saved = IptablesSave.Parse($"*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -d 198.51.100.2/32 -p udp -m udp --dport 51823 -j DNAT --to-destination 100.64.0.2:51820\nCOMMIT\n");
        Assert.Equal("-d 198.51.100.2/32 -p udp --dport 51823 -j DNAT --to-destination 100.64.0.2:51820", IptablesSyntax.Spec(dnat));
        Assert.True(Assert.Single(saved.Rules).Means(dnat with { Chain = "PREROUTING" }));
    }
}
