using Sitewire.Host.Doctor;
using Sitewire.Host.Linux;
using Sitewire.Netfilter;

namespace Sitewire.Host.Tests.Doctor;

/// <summary>
/// The doctor on recorded Debian/Ubuntu nodes whose firewall iptables-nft wrote: the established/related accept is
/// understood (replies pass), and each planned forward accept removed names exactly its direction with its fix.
/// </summary>
public class IptablesNftDoctorTests
{
    [Fact]
    public void The_seed_home_node_with_all_planned_accepts_is_healthy_without_warnings()
    {
        var findings = IptablesNftSnapshots.Findings(IptablesNftSnapshots.Home());

        Assert.All(findings, f => Assert.True(f.Status == CheckStatus.Ok, $"{f.Check}: {f.Message}"));
        Assert.Contains(findings, f => f.Check == "forward" && f.Message.Contains("wireguard0 ↔ ens3", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("wireguard0", "ens3", "new connections from the tunnel")]
    [InlineData("ens3", "wireguard0", "new connections from the LAN")]
    public void Each_planned_accept_removed_on_the_home_node_names_exactly_that_direction_while_replies_pass_on_established_related(
        string inInterface, string outInterface, string connections)
    {
        var snapshot = IptablesNftSnapshots.Home().WithoutForwardAccept(IpFamily.V4, inInterface, outInterface);

        var problem = Assert.Single(IptablesNftSnapshots.Findings(snapshot), f => f.Status != CheckStatus.Ok);

        Assert.Equal((CheckStatus.Problem, $"forward {inInterface}→{outInterface}"), (problem.Status, problem.Check));
        Assert.Equal($"IPv4 {inInterface} → {outInterface} ({connections}) is dropped by the policy drop of ip filter FORWARD", problem.Message);
        Assert.Equal(
            [$"nft insert rule ip filter FORWARD iifname \"{inInterface}\" oifname \"{outInterface}\" accept", $"iptables -I FORWARD -i {inInterface} -o {outInterface} -j ACCEPT"],
            problem.Fixes);
    }

    [Fact]
    public void Without_the_established_related_accept_the_replies_of_each_side_are_named_with_the_new_connections()
    {
        var snapshot = IptablesNftSnapshots.Home()
            .WithoutRules(r => r.Matches.ContainsKey("ctstate"))
            .WithoutForwardAccept(IpFamily.V4, "ens3", "wireguard0");

        var problem = Assert.Single(IptablesNftSnapshots.Findings(snapshot), f => f.Status != CheckStatus.Ok);

        Assert.Equal("forward ens3→wireguard0", problem.Check);
        Assert.StartsWith("IPv4 ens3 → wireguard0 (new connections from the LAN and replies to connections from the tunnel) is dropped", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_iptables_save_the_conntrack_rule_nft_cannot_show_is_named_and_the_drop_is_a_warning_not_a_guess()
    {
        var healthy = IptablesNftSnapshots.Home(withIptablesSave: false);
        Assert.All(IptablesNftSnapshots.Findings(healthy), f => Assert.True(f.Status == CheckStatus.Ok, $"{f.Check}: {f.Message}"));

        var snapshot = healthy.WithoutForwardAccept(IpFamily.V4, "ens3", "wireguard0");

        var finding = Assert.Single(IptablesNftSnapshots.Findings(snapshot), f => f.Status != CheckStatus.Ok);
        Assert.Equal((CheckStatus.Warning, "forward ens3→wireguard0"), (finding.Status, finding.Check));
        Assert.Equal(
            "IPv4 ens3 → wireguard0 (new connections from the LAN) is dropped by the policy drop of ip filter FORWARD unless rule `ip filter FORWARD: xt match conntrack (nft does not show its arguments) accept` (the doctor cannot evaluate its match) accepts it first",
            finding.Message);
        Assert.Contains("iptables -I FORWARD -i ens3 -o wireguard0 -j ACCEPT", finding.Fixes);
    }

    [Fact]
    public void The_dual_stack_branch_without_its_planned_ip6tables_lan_accept_names_exactly_the_ipv6_lan_to_tunnel_direction()
    {
        var healthy = IptablesNftSnapshots.Branch();
        var findings = IptablesNftSnapshots.Findings(healthy);
        Assert.All(findings, f => Assert.True(f.Status == CheckStatus.Ok, $"{f.Check}: {f.Message}"));
        Assert.Contains(findings, f => f.Check == "forward ipv6");

        var problem = Assert.Single(IptablesNftSnapshots.Findings(healthy.WithoutForwardAccept(IpFamily.V6, "eth1", "wg0")), f => f.Status != CheckStatus.Ok);

        Assert.Equal((CheckStatus.Problem, "forward ipv6 eth1→wg0"), (problem.Status, problem.Check));
        Assert.Equal("IPv6 eth1 → wg0 (new connections from the LAN) is dropped by the policy drop of ip6 filter FORWARD", problem.Message);
        Assert.Contains("ip6tables -I FORWARD -i eth1 -o wg0 -j ACCEPT", problem.Fixes);
    }

    [Fact]
    public void The_dual_stack_branch_without_its_ipv6_tunnel_accept_names_the_ipv6_tunnel_to_lan_direction()
    {
        var problem = Assert.Single(
            IptablesNftSnapshots.Findings(IptablesNftSnapshots.Branch().WithoutForwardAccept(IpFamily.V6, "wg0", "eth1")), f => f.Status != CheckStatus.Ok);

        Assert.Equal("forward ipv6 wg0→eth1", problem.Check);
        Assert.Equal("IPv6 wg0 → eth1 (new connections from the tunnel) is dropped by the policy drop of ip6 filter FORWARD", problem.Message);
    }

    [Fact]
    public void A_udp_port_drop_behind_an_input_rule_the_doctor_cannot_evaluate_is_a_warning_naming_that_rule()
    {
        var snapshot = IptablesNftSnapshots.Home().Merged(IptablesSave.Parse("*filter\n:INPUT DROP [0:0]\n-A INPUT -m set --match-set wg src -j ACCEPT\nCOMMIT\n"));

        var finding = Assert.Single(IptablesNftSnapshots.Findings(snapshot), f => f.Status != CheckStatus.Ok);

        Assert.Equal((CheckStatus.Warning, "udp port"), (finding.Status, finding.Check));
        Assert.Equal(
            "UDP port 59784 may not be open: incoming handshakes on wan0 are dropped by the policy drop of ip filter INPUT unless rule `iptables -t filter -A INPUT -m set --match-set wg src -j ACCEPT` (the doctor cannot evaluate its match) accepts them first",
            finding.Message);
    }

    [Fact]
    public void A_masquerade_nft_shows_without_its_match_is_not_taken_as_missing_but_named_as_a_doubt()
    {
        var snapshot = IptablesNftSnapshots.Home().WithoutRules(r => r.Verdict == "masquerade").Merged(NftJson.Parse("""
            {"nftables": [
              {"chain": {"family": "ip", "table": "legacy_nat", "name": "POSTROUTING", "type": "nat", "hook": "postrouting", "prio": 100, "policy": "accept"}},
              {"rule": {"family": "ip", "table": "legacy_nat", "chain": "POSTROUTING", "expr": [
                {"match": {"op": "==", "left": {"meta": {"key": "oifname"}}, "right": "ens3"}}, {"xt": {"type": "match", "name": "set"}}, {"xt": {"type": "target", "name": "MASQUERADE"}}]}}
            ]}
            """));

        var finding = Assert.Single(IptablesNftSnapshots.Findings(snapshot), f => f.Status != CheckStatus.Ok);

        Assert.Equal((CheckStatus.Warning, "masquerade ens3"), (finding.Status, finding.Check));
        Assert.EndsWith(", unless rule `ip legacy_nat POSTROUTING: oifname ens3 xt match set (nft does not show its arguments) masquerade` (the doctor cannot evaluate its match) masquerades it", finding.Message, StringComparison.Ordinal);
    }
}
