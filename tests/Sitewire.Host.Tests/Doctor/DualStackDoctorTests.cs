using Sitewire.Host.Doctor;
using Sitewire.Host.Doctor.Checks;
using Sitewire.Host.Linux;
using Sitewire.Netfilter;

namespace Sitewire.Host.Tests.Doctor;

/// <summary>The doctor on a dual-stack node (examples/dualstack.yaml's hq): each IPv6 fault is named alone, with its IPv6 fix.</summary>
public class DualStackDoctorTests
{
    [Fact]
    public void The_healthy_dual_stack_node_is_examined_in_both_families_without_a_problem_or_warning()
    {
        var findings = DualStackSnapshot.Findings(DualStackSnapshot.Healthy());

        Assert.DoesNotContain(findings, f => f.Status != CheckStatus.Ok);
        Assert.Equal(
            ["routes", "routes ipv6", "ip_forward", "forward", "ipv6 forwarding", "forward ipv6", "masquerade eth1", "masquerade ipv6 eth1"],
            findings.Select(f => f.Check).Where(c => c.StartsWith("routes", StringComparison.Ordinal) || c.Contains("forward", StringComparison.Ordinal) || c.StartsWith("masquerade", StringComparison.Ordinal)));
    }

    [Fact]
    public void Ipv6_forwarding_off_is_the_only_problem_with_the_sysctl_fixes()
    {
        var problem = Assert.Single(DualStackSnapshot.Problems(DualStackSnapshot.Healthy().WithSysctl("net/ipv6/conf/all/forwarding", "0")));

        Assert.Equal("ipv6 forwarding", problem.Check);
        Assert.StartsWith("net.ipv6.conf.all.forwarding = 0: this node must forward IPv6 between wg0 and eth1", problem.Message, StringComparison.Ordinal);
        Assert.Equal(["sysctl -w net.ipv6.conf.all.forwarding=1", "echo net.ipv6.conf.all.forwarding=1 >> /etc/sysctl.d/99-sitewire.conf"], problem.Fixes);
    }

    [Fact]
    public void A_kernel_without_ipv6_is_named_as_such()
    {
        var healthy = DualStackSnapshot.Healthy();
        var snapshot = healthy with { Sysctls = healthy.Sysctls.Where(s => !s.Key.StartsWith("net/ipv6", StringComparison.Ordinal)).ToDictionary() };

        var problem = Assert.Single(DualStackSnapshot.Problems(snapshot));

        Assert.Equal("ipv6 forwarding", problem.Check);
        Assert.StartsWith("net.ipv6.conf.all.forwarding does not exist: the kernel runs without IPv6", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ipv4_forwarding_off_does_not_blame_ipv6()
    {
        var problem = Assert.Single(DualStackSnapshot.Problems(DualStackSnapshot.Healthy().WithSysctl("net/ipv4/ip_forward", "0")));

        Assert.Equal("ip_forward", problem.Check);
    }

    [Fact]
    public void Missing_ipv6_masquerade_is_named_with_ip6_nft_and_ip6tables_fixes_and_ipv4_stays_ok()
    {
        var snapshot = DualStackSnapshot.Healthy().WithoutRules(r => r.Verdict == "masquerade" && r.Matches.TryGetValue("nfproto", out var family) && family == "ipv6");

        var problem = Assert.Single(DualStackSnapshot.Problems(snapshot, DualStackSnapshot.Expectation()));

        Assert.Equal("masquerade ipv6 eth1", problem.Check);
        Assert.Contains("missing IPv6 masquerade on eth1: tunnel traffic from fd00:60::/64, fd00:10:20::/64", problem.Message, StringComparison.Ordinal);
        Assert.Contains("nft 'add table ip6 sitewire_nat; add chain ip6 sitewire_nat postrouting { type nat hook postrouting priority srcnat; }; add rule ip6 sitewire_nat postrouting oifname \"eth1\" ip6 saddr { fd00:60::/64, fd00:10:20::/64 } masquerade'", problem.Fixes);
        Assert.Contains("ip6tables -t nat -A POSTROUTING -s fd00:60::/64,fd00:10:20::/64 -o eth1 -j MASQUERADE", problem.Fixes);
        Assert.Contains(DualStackSnapshot.Findings(snapshot), f => f is { Check: "masquerade eth1", Status: CheckStatus.Ok });
    }

    [Fact]
    public void Without_a_topology_missing_ipv6_masquerade_is_a_warning_unless_the_lan_has_another_ipv6_router()
    {
        var snapshot = DualStackSnapshot.Healthy().WithoutRules(r => r.Verdict == "masquerade" && r.Matches.GetValueOrDefault("nfproto") == "ipv6");
        Assert.Empty(DualStackSnapshot.Problems(snapshot));
        Assert.Contains(DualStackSnapshot.Findings(snapshot), f => f is { Check: "masquerade ipv6 eth1", Status: CheckStatus.Warning });

        var ipv4Router = snapshot with { Routes = [.. snapshot.Routes, new RouteState("172.30.0.0/16", "10.10.0.254", "eth1", "main", "unicast", IpFamily.V4)] };
        Assert.Empty(DualStackSnapshot.Problems(ipv4Router));

        var ipv6Router = snapshot with { Routes = [.. snapshot.Routes, new RouteState("fd00:99::/64", "fd00:10:10::fe", "eth1", "main", "unicast", IpFamily.V6)] };
        Assert.Equal(["masquerade ipv6 eth1"], DualStackSnapshot.Problems(ipv6Router).Select(p => p.Check));
    }

    [Fact]
    public void An_ipv4_only_masquerade_rule_does_not_count_for_ipv6_in_an_inet_table()
    {
        var snapshot = DualStackSnapshot.Healthy()
            .WithoutRules(r => r.Verdict == "masquerade")
            .Merged(NftJson.Parse("""
                {"nftables": [
                  {"chain": {"family": "inet", "table": "t", "name": "post", "type": "nat", "hook": "postrouting", "prio": 100, "policy": "accept"}},
                  {"rule": {"family": "inet", "table": "t", "chain": "post", "expr": [
                    {"match": {"op": "==", "left": {"meta": {"key": "oifname"}}, "right": "eth1"}},
                    {"match": {"op": "==", "left": {"meta": {"key": "nfproto"}}, "right": "ipv4"}}, {"masquerade": null}]}}
                ]}
                """));

        Assert.Equal(["masquerade ipv6 eth1"], DualStackSnapshot.Problems(snapshot, DualStackSnapshot.Expectation()).Select(p => p.Check));
    }

    [Fact]
    public void An_ip6tables_forward_drop_policy_names_the_blocked_ipv6_direction_with_the_ip6tables_fix()
    {
        var snapshot = DualStackSnapshot.Healthy().Merged(IptablesSave.Parse("*filter\n:FORWARD DROP [0:0]\n-A FORWARD -i wg0 -o eth1 -j ACCEPT\nCOMMIT\n", "ip6"));

        var problem = Assert.Single(DualStackSnapshot.Problems(snapshot));

        Assert.Equal("forward ipv6 eth1→wg0", problem.Check);
        Assert.Equal("IPv6 eth1 → wg0 (new connections from the LAN and replies to connections from the tunnel) is dropped by the policy drop of ip6 filter FORWARD", problem.Message);
        Assert.Equal(["nft insert rule ip6 filter FORWARD iifname \"eth1\" oifname \"wg0\" accept", "ip6tables -I FORWARD -i eth1 -o wg0 -j ACCEPT"], problem.Fixes);
    }

    [Fact]
    public void An_inet_forward_rule_dropping_ipv6_blocks_only_ipv6()
    {
        var snapshot = DualStackSnapshot.Healthy().Merged(NftJson.Parse("""
            {"nftables": [
              {"chain": {"family": "inet", "table": "f", "name": "fwd", "type": "filter", "hook": "forward", "prio": 0, "policy": "accept"}},
              {"rule": {"family": "inet", "table": "f", "chain": "fwd", "expr": [
                {"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": {"prefix": {"addr": "192.0.2.0", "len": 24}}}}, {"drop": null}]}},
              {"rule": {"family": "inet", "table": "f", "chain": "fwd", "expr": [
                {"match": {"op": "==", "left": {"meta": {"key": "iifname"}}, "right": "wg0"}},
                {"match": {"op": "==", "left": {"meta": {"key": "nfproto"}}, "right": "ipv6"}}, {"drop": null}]}}
            ]}
            """));

        Assert.Equal(["forward ipv6 wg0→eth1"], DualStackSnapshot.Problems(snapshot).Select(p => p.Check));
    }

    [Fact]
    public void An_ipv6_input_drop_matters_only_toward_a_peer_dialled_over_ipv6()
    {
        var dropsIpv6 = DualStackSnapshot.Healthy().Merged(IptablesSave.Parse("*filter\n:INPUT DROP [0:0]\nCOMMIT\n", "ip6"));
        Assert.Empty(DualStackSnapshot.Problems(dropsIpv6));

        var dialledOverIpv6 = dropsIpv6 with
        {
            WireGuard = [dropsIpv6.WireGuard[0] with { Peers = [DualStackSnapshot.Relay with { Endpoint = "[2001:db8:60::1]:51820" }] }],
            EndpointRoutes = new Dictionary<string, EndpointRoute> { ["2001:db8:60::1"] = new("wan0", "2001:db8:61::1", null) },
        };
        var problem = Assert.Single(DualStackSnapshot.Problems(dialledOverIpv6));

        Assert.Equal("udp port ipv6", problem.Check);
        Assert.Equal("UDP port 51820 is not open to IPv6: incoming handshakes on wan0 are dropped by the policy drop of ip6 filter INPUT", problem.Message);
        Assert.Equal(["nft insert rule ip6 filter INPUT iifname \"wan0\" udp dport 51820 accept", "ip6tables -I INPUT -i wan0 -p udp --dport 51820 -j ACCEPT"], problem.Fixes);
        Assert.Contains(DualStackSnapshot.Findings(dialledOverIpv6), f => f is { Check: "udp port", Status: CheckStatus.Ok });
    }

    [Fact]
    public void A_deleted_ipv6_allowed_ip_route_is_the_only_problem_with_an_ip_6_fix()
    {
        var healthy = DualStackSnapshot.Healthy();
        var snapshot = healthy with { Routes = [.. healthy.Routes.Where(r => r.Destination != "fd00:10:20::/64")] };

        var problem = Assert.Single(DualStackSnapshot.Problems(snapshot));

        Assert.Equal("routes ipv6", problem.Check);
        Assert.Equal(["ip -6 route add fd00:10:20::/64 dev wg0"], problem.Fixes);
    }

    [Fact]
    public void A_default_route_covers_only_its_own_family()
    {
        var healthy = DualStackSnapshot.Healthy();
        var everything = healthy with
        {
            WireGuard = [healthy.WireGuard[0] with { Peers = [DualStackSnapshot.Relay with { AllowedIps = ["0.0.0.0/0", "::/0"] }] }],
            Routes = [.. healthy.Routes, new RouteState("default", null, "wg0", "51820", "unicast", IpFamily.V4)],
        };

        var problem = Assert.Single(DualStackSnapshot.Problems(everything), p => p.Check.StartsWith("routes", StringComparison.Ordinal));
        Assert.Equal("routes ipv6", problem.Check);
        Assert.Equal(["ip -6 route add ::/0 dev wg0"], problem.Fixes);

        var routed = everything with { Routes = [.. everything.Routes, new RouteState("default", null, "wg0", "51820", "unicast", IpFamily.V6)] };
        Assert.DoesNotContain(DualStackSnapshot.Problems(routed), p => p.Check.StartsWith("routes", StringComparison.Ordinal));
    }

    [Fact]
    public void An_ipv6_address_on_the_tunnel_alone_makes_ipv6_cross_it()
    {
        var healthy = DualStackSnapshot.Healthy();
        var snapshot = healthy with
        {
            WireGuard = [healthy.WireGuard[0] with { Peers = [DualStackSnapshot.Relay with { AllowedIps = ["10.60.0.0/24", "10.20.0.0/24"] }] }],
        };

        Assert.Equal(["ipv6 forwarding"], DualStackSnapshot.Problems(snapshot.WithSysctl("net/ipv6/conf/all/forwarding", "0")).Select(p => p.Check));
    }

    [Fact]
    public void Without_ipv6_on_the_tunnel_an_ipv6_lan_counts_only_when_the_topology_gives_the_lan_ipv6()
    {
        var healthy = DualStackSnapshot.Healthy();
        var snapshot = (healthy with
        {
            WireGuard = [healthy.WireGuard[0] with { Peers = [DualStackSnapshot.Relay with { AllowedIps = ["10.60.0.0/24", "10.20.0.0/24"] }] }],
            Addresses = [.. healthy.Addresses.Where(a => !(a.Interface == "wg0" && a.Family == "inet6"))],
        }).WithSysctl("net/ipv6/conf/all/forwarding", "0");

        Assert.DoesNotContain(DualStackSnapshot.Findings(snapshot), f => f.Check.Contains("ipv6", StringComparison.Ordinal));
        Assert.Contains("ipv6 forwarding", DualStackSnapshot.Problems(snapshot, DualStackSnapshot.Expectation()).Select(p => p.Check));
    }

    [Fact]
    public void The_plan_expects_ipv6_forwarding_and_the_ipv6_lan()
    {
        var expectation = DualStackSnapshot.Expectation();

        Assert.Equal(new DoctorExpectation("eth1", true, false, true, true), expectation);
    }

    [Fact]
    public void Drift_matches_the_dual_stack_plan_and_names_ipv6_forwarding_and_each_ipv6_masquerade()
    {
        var planned = DualStackSnapshot.Expected();
        var healthy = DualStackSnapshot.Healthy();
        Assert.Equal(["drift"], DriftCheck.Run(healthy, healthy.WireGuard[0], planned).Select(f => f.Check));

        var forwardingOff = healthy.WithSysctl("net/ipv6/conf/all/forwarding", "0");
        var sysctl = Assert.Single(DriftCheck.Run(forwardingOff, forwardingOff.WireGuard[0], planned));
        Assert.Equal(("drift sysctl", "planned net.ipv6.conf.all.forwarding = 1, live 0"), (sysctl.Check, sysctl.Message));

        var unmasqueraded = healthy.WithoutRules(r => r.Matches.GetValueOrDefault("nfproto") == "ipv6");
        var drift = DriftCheck.Run(unmasqueraded, unmasqueraded.WireGuard[0], planned).ToList();
        Assert.All(drift, f => Assert.Equal("drift masquerade ipv6 eth1", f.Check));
        Assert.Equal(
            ["ip6tables -t nat -A POSTROUTING -s fd00:60::/64 -o eth1 -j MASQUERADE", "ip6tables -t nat -A POSTROUTING -s fd00:10:20::/64 -o eth1 -j MASQUERADE"],
            drift.SelectMany(f => f.Fixes));
    }

    [Fact]
    public void Drift_names_redirects_sent_on_the_lan_that_the_plan_turned_off()
    {
        var planned = DualStackSnapshot.Expected();
        var redirecting = DualStackSnapshot.Healthy().WithSysctl("net/ipv4/conf/eth1/send_redirects", "1");

        var sysctl = Assert.Single(DriftCheck.Run(redirecting, redirecting.WireGuard[0], planned));

        Assert.Equal(("drift sysctl", "planned net.ipv4.conf.eth1.send_redirects = 0, live 1"), (sysctl.Check, sysctl.Message));
        Assert.Contains("sysctl -w net.ipv4.conf.eth1.send_redirects=0", sysctl.Fixes);
    }
}
