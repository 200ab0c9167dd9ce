using Sitewire.Host.Doctor;
using Sitewire.Netfilter;

namespace Sitewire.Host.Tests.Doctor;

/// <summary>The doctor on a forwarding node whose LAN's MTU (1500) is above the tunnel's (1420): the MSS clamp each way.</summary>
public class MssClampDoctorTests
{
    private static NodeSnapshot WithoutClamps(NodeSnapshot snapshot) =>
        snapshot.WithoutRules(r => r.Verdict == NetfilterEvaluator.Clamp);

    [Fact]
    public void The_planned_clamps_are_found_both_ways()
    {
        var clamp = Assert.Single(Assert.Single(NodeDoctor.Examine(OfficeSnapshot.Healthy(), "wireguard0")).Findings, f => f.Check == "mss clamp ens33");

        Assert.Equal(CheckStatus.Ok, clamp.Status);
        Assert.Equal("IPv4 TCP SYNs forwarded between ens33 (mtu 1500) and wireguard0 (mtu 1420) get their MSS clamped both ways", clamp.Message);
    }

    [Fact]
    public void A_missing_clamp_is_named_with_the_commands_that_add_it()
    {
        var problem = Assert.Single(OfficeSnapshot.Problems(WithoutClamps(OfficeSnapshot.Healthy())));

        Assert.Equal("mss clamp ens33", problem.Check);
        Assert.StartsWith("no IPv4 MSS clamp for TCP forwarded ens33 → wireguard0 and wireguard0 → ens33: full-size segments of LAN hosts (1500 bytes at ens33's MTU) exceed wireguard0's MTU 1420", problem.Message, StringComparison.Ordinal);
        Assert.Equal("iptables -t mangle -A FORWARD -o wireguard0 -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu && iptables -t mangle -A FORWARD -i wireguard0 -p tcp --tcp-flags SYN,RST SYN -m tcpmss --mss 1381:65535 -j TCPMSS --set-mss 1380", problem.Fixes[0]);
        Assert.StartsWith("nft 'add table inet sitewire_mss; add chain inet sitewire_mss forward { type filter hook forward priority mangle; }; add rule inet sitewire_mss forward oifname \"wireguard0\"", problem.Fixes[1], StringComparison.Ordinal);
    }

    [Fact]
    public void One_missing_direction_is_named_alone_per_family()
    {
        var snapshot = DualStackSnapshot.Healthy().WithoutRules(r => r.Verdict == NetfilterEvaluator.Clamp && r.Matches.GetValueOrDefault("nfproto") == "ipv6");

        var problem = Assert.Single(DualStackSnapshot.Problems(snapshot));

        Assert.Equal("mss clamp ipv6 eth1", problem.Check);
        Assert.StartsWith("no IPv6 MSS clamp for TCP forwarded wg0 → eth1:", problem.Message, StringComparison.Ordinal);
        Assert.Contains(problem.Fixes, f => f == "ip6tables -t mangle -A FORWARD -i wg0 -p tcp --tcp-flags SYN,RST SYN -m tcpmss --mss 1361:65535 -j TCPMSS --set-mss 1360");
    }

    [Fact]
    public void With_mss_clamp_false_in_the_topology_it_is_a_warning_and_a_lan_no_wider_than_the_tunnel_needs_none()
    {
        var snapshot = WithoutClamps(OfficeSnapshot.Healthy());
        var expectation = new DoctorExpectation("ens33", MasqueradeLan: true, BehindNat: true, Forwards: true, LanIpv6: false, MssClamp: false);

        Assert.Contains(Assert.Single(NodeDoctor.Examine(snapshot, "wireguard0", expectation)).Findings, f => f is { Check: "mss clamp ens33", Status: CheckStatus.Warning });
        var narrowLan = snapshot with { Links = [.. snapshot.Links.Select(l => l.Name == "ens33" ? l with { Mtu = 1420 } : l)] };
        Assert.DoesNotContain(Assert.Single(NodeDoctor.Examine(narrowLan, "wireguard0")).Findings, f => f.Check == "mss clamp ens33");
    }
}
