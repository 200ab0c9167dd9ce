using Sitewire.Host.Doctor;
using Sitewire.Host.Linux;
using Sitewire.Netfilter;

namespace Sitewire.Host.Tests.Doctor;

public class NodeDoctorTests
{
    [Fact]
    public void The_healthy_office_has_no_problem_and_no_warning()
    {
        var report = Assert.Single(NodeDoctor.Examine(OfficeSnapshot.Healthy(), null));

        Assert.True(report.Healthy);
        Assert.DoesNotContain(report.Findings, f => f.Status != CheckStatus.Ok);
        Assert.Contains(report.Findings, f => f.Check == "masquerade ens33");
        Assert.Contains(report.Findings, f => f.Check == "ip_forward");
    }

    [Fact]
    public void Missing_masquerade_on_the_lan_is_named_with_the_nft_and_iptables_fixes()
    {
        var healthy = OfficeSnapshot.Healthy();
        var snapshot = healthy with { Ruleset = healthy.Ruleset with { Rules = [.. healthy.Ruleset.Rules.Where(r => r.Verdict != "masquerade")] } };

        var problem = Assert.Single(OfficeSnapshot.Problems(snapshot));

        Assert.Equal("masquerade ens33", problem.Check);
        Assert.Contains("missing IPv4 masquerade on ens33", problem.Message, StringComparison.Ordinal);
        Assert.Contains(problem.Fixes, f => f.StartsWith("nft ", StringComparison.Ordinal) && f.Contains("oifname \"ens33\" ip saddr { 192.168.200.0/24, 192.168.3.0/24 } masquerade", StringComparison.Ordinal));
        Assert.Contains("iptables -t nat -A POSTROUTING -s 192.168.200.0/24,192.168.3.0/24 -o ens33 -j MASQUERADE", problem.Fixes);
    }

    [Fact]
    public void Forwarding_off_is_the_only_problem()
    {
        var healthy = OfficeSnapshot.Healthy();
        var snapshot = healthy with { Sysctls = new Dictionary<string, string>(healthy.Sysctls) { ["net/ipv4/ip_forward"] = "0" } };

        var problem = Assert.Single(OfficeSnapshot.Problems(snapshot));

        Assert.Equal("ip_forward", problem.Check);
        Assert.Contains("sysctl -w net.ipv4.ip_forward=1", problem.Fixes);
    }

    [Fact]
    public void Keepalive_removed_behind_nat_is_the_only_problem()
    {
        var healthy = OfficeSnapshot.Healthy();
        var peer = OfficeSnapshot.Relay with { PersistentKeepalive = null };
        var snapshot = healthy with { WireGuard = [healthy.WireGuard[0] with { Peers = [peer] }] };

        var problem = Assert.Single(OfficeSnapshot.Problems(snapshot));

        Assert.StartsWith("keepalive", problem.Check, StringComparison.Ordinal);
        Assert.Contains($"wg set wireguard0 peer {peer.PublicKey} persistent-keepalive 25", problem.Fixes);
    }

    [Fact]
    public void A_deleted_allowed_ip_route_is_the_only_problem()
    {
        var healthy = OfficeSnapshot.Healthy();
        var snapshot = healthy with { Routes = [.. healthy.Routes.Where(r => !(r.Destination == "192.168.3.0/24" && r.Device == "wireguard0"))] };

        var problem = Assert.Single(OfficeSnapshot.Problems(snapshot));

        Assert.Equal("routes", problem.Check);
        Assert.Equal(["ip route add 192.168.3.0/24 dev wireguard0"], problem.Fixes);
    }

    [Fact]
    public void A_blocked_udp_port_is_the_only_problem()
    {
        var healthy = OfficeSnapshot.Healthy();
        var snapshot = healthy with
        {
            Ruleset = healthy.Ruleset.Merge(IptablesSave.Parse("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p udp --dport 52435 -j DROP\nCOMMIT\n", "inet")),
        };

        var problem = Assert.Single(OfficeSnapshot.Problems(snapshot));

        Assert.Equal("udp port", problem.Check);
        Assert.Contains("UDP port 52435", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_forward_drop_policy_names_the_blocked_direction()
    {
        var healthy = OfficeSnapshot.Healthy();
        var snapshot = healthy with
        {
            Ruleset = healthy.Ruleset.Merge(IptablesSave.Parse("*filter\n:FORWARD DROP [0:0]\n-A FORWARD -i wireguard0 -o ens33 -j ACCEPT\nCOMMIT\n", "inet")),
        };

        var problem = Assert.Single(OfficeSnapshot.Problems(snapshot));

        Assert.Equal("forward ens33→wireguard0", problem.Check);
        Assert.Contains("iptables -I FORWARD -i ens33 -o wireguard0 -j ACCEPT", problem.Fixes);
    }

    [Fact]
    public void The_ipv4_only_office_gets_exactly_its_ipv4_checks()
    {
        var findings = Assert.Single(NodeDoctor.Examine(OfficeSnapshot.Healthy(), "wireguard0")).Findings;

        Assert.Equal(
            ["interface", "handshake", "endpoint", "routes", "udp port", "ip_forward", "forward", "masquerade ens33", "mss clamp ens33"],
            findings.Select(f => f.Check.Split(' ')[0] is "handshake" or "endpoint" ? f.Check.Split(' ')[0] : f.Check));
    }

    [Fact]
    public void An_ipv4_only_tunnel_is_no_ipv6_alarm_even_with_ipv6_on_the_lan_and_ipv6_forwarding_off()
    {
        var healthy = OfficeSnapshot.Healthy();
        var snapshot = healthy with
        {
            Addresses = [.. healthy.Addresses, new AddressState("ens33", "inet6", "2001:db8:5::16", 64), new AddressState("wireguard0", "inet6", "fe80::1", 64)],
            Routes =
            [
                .. healthy.Routes,
                new RouteState("2001:db8:5::/64", null, "ens33", "main", "unicast", IpFamily.V6),
                new RouteState("default", "fe80::1", "ens33", "main", "unicast", IpFamily.V6),
                new RouteState("default", "fe80::1", "wan0", "main", "unicast", IpFamily.V6),
            ],
            Sysctls = new Dictionary<string, string>(healthy.Sysctls) { ["net/ipv6/conf/all/forwarding"] = "0" },
        };

        Assert.Equal(
            Assert.Single(NodeDoctor.Examine(healthy, null)).Findings.Select(f => (f.Check, f.Status)),
            Assert.Single(NodeDoctor.Examine(snapshot, null)).Findings.Select(f => (f.Check, f.Status)));
    }

    [Fact]
    public void An_unknown_interface_is_an_error_naming_the_ones_there_are()
    {
        var error = Assert.Throws<InvalidOperationException>(() => NodeDoctor.Examine(OfficeSnapshot.Healthy(), "wg9"));
        Assert.Contains("wg9 is not a WireGuard interface on this node (WireGuard interfaces: wireguard0)", error.Message, StringComparison.Ordinal);
    }
}
