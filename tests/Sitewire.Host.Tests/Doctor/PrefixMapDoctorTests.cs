using System.Net;
using Sitewire.Netfilter;
using Sitewire.Host.Doctor;
using Sitewire.Host.Linux;

namespace Sitewire.Host.Tests.Doctor;

/// <summary>
/// The doctor on a node of a mapped LAN (mapped_as): the plan's NETMAP (iptables) or prefix NAT (nftables) rules, recorded
/// from examples/overlapping.yaml's PostUp on real iptables-nft and nft (Recorded/netmap-wg0.*), read back and checked
/// each way; a missing or wrong one is named with its fix.
/// </summary>
public class PrefixMapDoctorTests
{
    private static readonly IPNetwork Real = IPNetwork.Parse("192.168.1.0/24");

    private static DoctorExpectation Mapped(string mapped) =>
        new("eth1", MasqueradeLan: true, BehindNat: false, Forwards: true, LanIpv6: true, Maps: [(Real, IPNetwork.Parse(mapped))]);

    private static NodeSnapshot WithMaps(string backend)
    {
        var snapshot = DualStackSnapshot.Healthy();
        var maps = backend == "nft"
            ? NftJson.Parse(Recorded.Read("netmap-wg0.nft.json"))
            : IptablesSave.Parse(Recorded.Read("netmap-wg0.iptables-save.txt"));
        return snapshot with { Ruleset = snapshot.Ruleset.Merge(maps) };
    }

    private static IReadOnlyList<DoctorFinding> MapFindings(NodeSnapshot snapshot, string mapped) =>
        [.. Assert.Single(NodeDoctor.Examine(snapshot, "wg0", Mapped(mapped))).Findings.Where(f => f.Check.StartsWith("prefix map", StringComparison.Ordinal))];

    [Fact]
    public void Netmap_and_prefix_nat_are_read_with_the_prefix_they_map_to()
    {
        var iptables = IptablesSave.Parse(Recorded.Read("netmap-wg0.iptables-save.txt")).Rules;
        var nft = NftJson.Parse(Recorded.Read("netmap-wg0.nft.json")).Rules.Where(r => r.Verdict == "netmap").ToList();

        Assert.Equal([("netmap", "192.168.1.0/24", false), ("netmap", "10.201.1.0/24", false)], iptables.Select(r => (r.Verdict, r.MapsTo, r.HasUnknownMatch)));
        Assert.Equal([("prerouting", "192.168.1.0/24"), ("postrouting", "10.201.2.0/24")], nft.Select(r => (r.Chain, r.MapsTo)));
        Assert.All(nft, r => Assert.False(r.HasUnknownMatch, r.Text));
    }

    [Theory]
    [InlineData("iptables", "10.201.1.0/24")]
    [InlineData("nft", "10.201.2.0/24")]
    public void The_planned_maps_are_found_both_ways(string backend, string mapped)
    {
        var findings = MapFindings(WithMaps(backend), mapped);

        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.Equal(CheckStatus.Ok, f.Status));
        Assert.Equal($"prefix map {mapped} → 192.168.1.0/24 (destination)", findings[0].Check);
    }

    [Fact]
    public void A_deleted_netmap_is_named_with_the_command_that_puts_it_back()
    {
        var snapshot = WithMaps("iptables").WithoutRules(r => r is { Verdict: "netmap", Chain: "POSTROUTING" });

        var problem = Assert.Single(MapFindings(snapshot, "10.201.1.0/24"), f => f.Status != CheckStatus.Ok);

        Assert.Equal((CheckStatus.Problem, "prefix map 192.168.1.0/24 → 10.201.1.0/24 (source)"), (problem.Status, problem.Check));
        Assert.StartsWith("missing prefix map: packets from 192.168.1.0/24 leaving by wg0 are not mapped to 10.201.1.0/24", problem.Message, StringComparison.Ordinal);
        Assert.Equal("iptables -t nat -I POSTROUTING -s 192.168.1.0/24 -o wg0 -j NETMAP --to 10.201.1.0/24", problem.Fixes[0]);
        Assert.Equal("nft 'add table ip sitewire_map; add chain ip sitewire_map postrouting { type nat hook postrouting priority srcnat; }; add rule ip sitewire_map postrouting oifname \"wg0\" ip saddr 192.168.1.0/24 snat ip prefix to 10.201.1.0/24'", problem.Fixes[1]);
    }

    [Fact]
    public void A_map_to_another_prefix_is_named_wrong()
    {
        var findings = MapFindings(WithMaps("nft"), "10.201.9.0/24");

        Assert.All(findings, f => Assert.Equal(CheckStatus.Problem, f.Status));
        Assert.StartsWith("missing prefix map: packets arriving on wg0 for 10.201.9.0/24", findings[0].Message, StringComparison.Ordinal);
        Assert.StartsWith("wrong prefix map: rule `inet sitewire_wg0 postrouting:", findings[1].Message, StringComparison.Ordinal);
        Assert.Contains("maps 192.168.1.0/24 elsewhere than 10.201.9.0/24", findings[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_mapped_subnets_nothing_is_checked() =>
        Assert.DoesNotContain(Assert.Single(NodeDoctor.Examine(WithMaps("nft"), "wg0")).Findings, f => f.Check.StartsWith("prefix map", StringComparison.Ordinal));
}
