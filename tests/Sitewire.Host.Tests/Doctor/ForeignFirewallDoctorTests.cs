using Sitewire.Host.Doctor;
using Sitewire.Netfilter;

namespace Sitewire.Host.Tests.Doctor;

/// <summary>
/// The doctor beside firewalls that are not sitewire's (<see cref="ForeignFirewallSnapshots"/>): it reads their chains,
/// names the one that drops the tunnel's forwarded traffic with the fix that lives beside it, and says when
/// iptables-legacy and nftables both hold rules.
/// </summary>
public class ForeignFirewallDoctorTests
{
    private const string DockerUserFix = "iptables -I DOCKER-USER -i wireguard0 -o ens3 -j ACCEPT";

    [Fact]
    public void Dockers_recorded_filter_table_is_read_whole_with_its_forward_policy_drop()
    {
        var docker = ForeignFirewallSnapshots.Docker();

        Assert.Equal("drop", docker.Chain("ip", "filter", "FORWARD")?.Policy);
        Assert.All(["DOCKER", "DOCKER-USER", "DOCKER-ISOLATION-STAGE-1", "DOCKER-ISOLATION-STAGE-2"], name => Assert.NotNull(docker.Chain("ip", "filter", name)));
        Assert.All(docker.Rules, rule => Assert.False(rule.HasUnknownMatch, rule.Text));
        Assert.Equal(["jump:DOCKER-USER", "jump:DOCKER-ISOLATION-STAGE-1", "accept", "jump:DOCKER", "accept", "accept"],
            docker.RulesOf(docker.Chain("ip", "filter", "FORWARD")!).Select(r => r.Verdict));
    }

    [Fact]
    public void On_a_docker_host_the_tunnels_forward_is_dropped_by_dockers_forward_policy_and_the_fix_is_an_accept_in_docker_user()
    {
        var snapshot = ForeignFirewallSnapshots.HomeWithFilterTable(ForeignFirewallSnapshots.Docker());

        var problems = IptablesNftSnapshots.Findings(snapshot).Where(f => f.Status != CheckStatus.Ok).ToList();

        Assert.Equal(["forward wireguard0→ens3", "forward ens3→wireguard0"], problems.Select(p => p.Check));
        var inbound = problems[0];
        Assert.Equal(CheckStatus.Problem, inbound.Status);
        Assert.StartsWith("IPv4 wireguard0 → ens3 (new connections from the tunnel and replies to connections from the LAN) is dropped by the policy drop of ip filter FORWARD, Docker's firewall (Docker sets FORWARD's policy to DROP", inbound.Message, StringComparison.Ordinal);
        Assert.Contains("DOCKER-USER comes first in FORWARD and Docker never flushes it", inbound.Message, StringComparison.Ordinal);
        Assert.Equal([DockerUserFix], inbound.Fixes);
        Assert.Equal(["iptables -I DOCKER-USER -i ens3 -o wireguard0 -j ACCEPT"], problems[1].Fixes);
    }

    [Fact]
    public void Docker_28s_forward_chain_with_docker_forward_drops_the_tunnel_the_same_way_and_takes_the_same_fix()
    {
        var dropped = IptablesNftSnapshots.Findings(ForeignFirewallSnapshots.HomeWithFilterTable(ForeignFirewallSnapshots.Docker28()));
        var inbound = Assert.Single(dropped, f => f.Check == "forward wireguard0→ens3");
        Assert.StartsWith("IPv4 wireguard0 → ens3 (new connections from the tunnel and replies to connections from the LAN) is dropped by the policy drop of ip filter FORWARD, Docker's firewall", inbound.Message, StringComparison.Ordinal);
        Assert.Equal([DockerUserFix], inbound.Fixes);

        var accepted = ForeignFirewallSnapshots.Docker28().Merge(IptablesSave.Parse("*filter\n:DOCKER-USER - [0:0]\n-A DOCKER-USER -i wireguard0 -o ens3 -j ACCEPT\n-A DOCKER-USER -i ens3 -o wireguard0 -j ACCEPT\nCOMMIT\n"));
        var healthy = ForeignFirewallSnapshots.HomeWithFilterTable(new NetfilterRuleset([.. accepted.Chains.DistinctBy(c => c.Name)], accepted.Rules));
        Assert.All(IptablesNftSnapshots.Findings(healthy), f => Assert.True(f.Status == CheckStatus.Ok, $"{f.Check}: {f.Message}"));
    }

    [Fact]
    public void The_docker_user_accepts_the_doctor_gives_make_the_docker_host_healthy()
    {
        var snapshot = ForeignFirewallSnapshots.HomeWithFilterTable(ForeignFirewallSnapshots.Docker("-i wireguard0 -o ens3 -j ACCEPT", "-i ens3 -o wireguard0 -j ACCEPT"));

        Assert.All(IptablesNftSnapshots.Findings(snapshot), f => Assert.True(f.Status == CheckStatus.Ok, $"{f.Check}: {f.Message}"));
    }

    [Fact]
    public void A_drop_in_docker_user_is_named_with_an_accept_inserted_above_it()
    {
        var snapshot = ForeignFirewallSnapshots.HomeWithFilterTable(ForeignFirewallSnapshots.Docker("-i wireguard0 -j DROP", "-i ens3 -o wireguard0 -j ACCEPT"));

        var inbound = Assert.Single(IptablesNftSnapshots.Findings(snapshot), f => f.Status != CheckStatus.Ok);

        Assert.Equal("forward wireguard0→ens3", inbound.Check);
        Assert.StartsWith("IPv4 wireguard0 → ens3 (new connections from the tunnel and replies to connections from the LAN) is dropped by rule `iptables -t filter -A DOCKER-USER -i wireguard0 -j DROP`, Docker's firewall", inbound.Message, StringComparison.Ordinal);
        Assert.Equal([DockerUserFix], inbound.Fixes);
    }

    [Fact]
    public void On_a_ufw_host_the_tunnels_new_connections_are_dropped_by_ufws_forward_policy_and_the_fix_is_a_ufw_route_rule()
    {
        var snapshot = ForeignFirewallSnapshots.HomeWithFilterTable(ForeignFirewallSnapshots.Ufw(routeAllowed: false));

        var problems = IptablesNftSnapshots.Findings(snapshot).Where(f => f.Status != CheckStatus.Ok).ToList();

        Assert.Equal(["forward wireguard0→ens3", "forward ens3→wireguard0"], problems.Select(p => p.Check));
        Assert.All(problems, p => Assert.Equal(CheckStatus.Problem, p.Status));
        Assert.StartsWith("IPv4 wireguard0 → ens3 (new connections from the tunnel) is dropped by the policy drop of ip filter FORWARD, ufw's firewall", problems[0].Message, StringComparison.Ordinal);
        Assert.Equal(["ufw route allow in on wireguard0 out on ens3"], problems[0].Fixes);
        Assert.Equal(["ufw route allow in on ens3 out on wireguard0"], problems[1].Fixes);
    }

    [Fact]
    public void After_the_ufw_route_rules_the_doctor_gives_the_ufw_host_is_healthy()
    {
        var snapshot = ForeignFirewallSnapshots.HomeWithFilterTable(ForeignFirewallSnapshots.Ufw(routeAllowed: true));

        Assert.All(IptablesNftSnapshots.Findings(snapshot), f => Assert.True(f.Status == CheckStatus.Ok, $"{f.Check}: {f.Message}"));
    }

    [Theory]
    [InlineData("eth0", "ufw allow in on eth0 to any port 51820 proto udp", "-A ufw-user-input -i eth0 -p udp --dport 51820 -j ACCEPT")]
    [InlineData(null, "ufw allow 51820/udp", "-A ufw-user-input -p udp --dport 51820 -j ACCEPT")]
    public void A_listen_port_dropped_by_ufws_input_policy_is_opened_by_a_ufw_allow_and_the_rule_it_writes_lets_handshakes_in(string? uplink, string fix, string written)
    {
        var ufw = ForeignFirewallSnapshots.Ufw(routeAllowed: false);
        var handshake = new NetfilterPacket(IpFamily.V4, uplink, null, null, null, "udp", 51820, "new");

        var blocker = NetfilterEvaluator.Blocker(ufw, "input", handshake);

        Assert.Equal("the policy drop of ip filter INPUT", blocker?.DecidedBy);
        Assert.Equal([fix], AcceptFixes.Input(ufw, blocker!, handshake));
        Assert.Null(NetfilterEvaluator.Blocker(WithUfwRule(ufw, written), "input", handshake));
    }

    [Theory]
    [InlineData("-A ufw-user-input -p udp --dport 51820 -j DROP", "ufw insert 1 allow in on eth0 to any port 51820 proto udp")]
    [InlineData("-A ufw-user-input -i eth0 -p udp --dport 51820 -j DROP", "ufw allow in on eth0 to any port 51820 proto udp")]
    public void A_port_a_ufw_rule_denies_is_allowed_by_a_rule_inserted_above_it_or_by_updating_a_rule_of_the_same_matches(string deny, string fix)
    {
        var ufw = WithUfwRule(ForeignFirewallSnapshots.Ufw(routeAllowed: false), deny);
        var handshake = new NetfilterPacket(IpFamily.V4, "eth0", null, null, null, "udp", 51820, "new");

        var blocker = NetfilterEvaluator.Blocker(ufw, "input", handshake);

        Assert.Equal("ufw-user-input", blocker?.Rule?.Chain);
        Assert.Equal([fix], AcceptFixes.Input(ufw, blocker!, handshake));
    }

    [Theory]
    [InlineData("-A ufw-user-forward -i wireguard0 -j DROP", "ufw route insert 1 allow in on wireguard0 out on ens3", true)]
    [InlineData("-A ufw-user-forward -i wireguard0 -o ens3 -j DROP", "ufw route allow in on wireguard0 out on ens3", false)]
    public void Forwarding_a_ufw_route_rule_denies_is_allowed_above_it_or_by_updating_it(string deny, string fix, bool inserted)
    {
        var snapshot = ForeignFirewallSnapshots.HomeWithFilterTable(WithUfwRule(ForeignFirewallSnapshots.Ufw(routeAllowed: false), deny));

        var problems = IptablesNftSnapshots.Findings(snapshot).Where(f => f.Status != CheckStatus.Ok).ToList();

        Assert.Equal(["forward wireguard0→ens3", "forward ens3→wireguard0"], problems.Select(p => p.Check));
        Assert.Contains($"is dropped by rule `iptables -t filter {deny}`, ufw's firewall", problems[0].Message, StringComparison.Ordinal);
        Assert.Equal([fix], problems[0].Fixes);
        Assert.Equal(["ufw route allow in on ens3 out on wireguard0"], problems[1].Fixes);
        var written = IptablesSave.Parse("*filter\n-A ufw-user-forward -i wireguard0 -o ens3 -j ACCEPT\n-A ufw-user-forward -i ens3 -o wireguard0 -j ACCEPT\nCOMMIT\n").Rules;
        var ruleset = inserted
            ? snapshot.Ruleset.Inserted(written[0])
            : snapshot.Ruleset with { Rules = [.. snapshot.Ruleset.Rules.Select(rule => rule.Chain == "ufw-user-forward" && rule.Verdict == "drop" ? written[0] : rule)] };
        var healed = snapshot with { Ruleset = ruleset.Appended(written[1]) };
        Assert.All(IptablesNftSnapshots.Findings(healed), f => Assert.True(f.Status == CheckStatus.Ok, $"{f.Check}: {f.Message}"));
    }

    /// <summary>The ruleset with one rule as ufw writes it into its IPv4 chains (/etc/ufw/user.rules) appended.</summary>
    private static NetfilterRuleset WithUfwRule(NetfilterRuleset ufw, string rule) =>
        ufw.Appended(Assert.Single(IptablesSave.Parse($"*filter\n{rule}\nCOMMIT\n").Rules));

    [Fact]
    public void Kube_proxy_and_flannel_chains_above_the_planned_accepts_leave_the_node_healthy_without_doubts()
    {
        var snapshot = ForeignFirewallSnapshots.HomeBeneath(ForeignFirewallSnapshots.KubeProxy());

        Assert.All(IptablesNftSnapshots.Findings(snapshot), f => Assert.True(f.Status == CheckStatus.Ok, $"{f.Check}: {f.Message}"));
    }

    [Fact]
    public void Kube_proxys_invalid_drop_is_named_as_kubernetes_rule_with_an_accept_above_its_jumps()
    {
        var kube = ForeignFirewallSnapshots.KubeProxy();
        var packet = new NetfilterPacket(IpFamily.V4, "wireguard0", "ens3", null, null, null, null, "invalid");

        var blocker = NetfilterEvaluator.Blocker(kube, "forward", packet);

        Assert.Equal("KUBE-FORWARD", blocker?.Rule?.Chain);
        Assert.Equal(ForeignFirewall.Kubernetes, ForeignFirewall.Deciding(kube, blocker!));
        Assert.Equal("iptables -I FORWARD -i wireguard0 -o ens3 -j ACCEPT", ForeignFirewall.Kubernetes.AcceptCommand(IpFamily.V4, legacy: false, "wireguard0", "ens3", repliesOnly: false));
    }

    [Fact]
    public void Dockers_rules_in_iptables_legacy_beside_the_planned_nft_rules_are_a_trap_named_with_the_legacy_fix()
    {
        var snapshot = IptablesNftSnapshots.Home() with { Ruleset = IptablesNftSnapshots.Home().Ruleset.Merge(ForeignFirewallSnapshots.DockerLegacy()) };

        var findings = IptablesNftSnapshots.Findings(snapshot).Where(f => f.Status != CheckStatus.Ok).ToList();

        var trap = Assert.Single(findings, f => f.Check == "iptables backends");
        Assert.Equal(CheckStatus.Warning, trap.Status);
        Assert.StartsWith("iptables-legacy and nftables both hold rules (legacy: ip filter; nftables: ip filter, ip mangle, ip nat, ip6 filter): the kernel runs both and a packet must pass each", trap.Message, StringComparison.Ordinal);
        var inbound = Assert.Single(findings, f => f.Check == "forward wireguard0→ens3");
        Assert.Equal(CheckStatus.Problem, inbound.Status);
        Assert.StartsWith("IPv4 wireguard0 → ens3 (new connections from the tunnel and replies to connections from the LAN) is dropped by the policy drop of iptables-legacy's ip filter FORWARD, Docker's firewall", inbound.Message, StringComparison.Ordinal);
        Assert.Equal(["iptables-legacy -I DOCKER-USER -i wireguard0 -o ens3 -j ACCEPT"], inbound.Fixes);
    }

    [Fact]
    public void Legacy_tables_without_rules_and_with_accept_policies_are_no_trap()
    {
        var empty = IptablesSave.Parse("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n", legacy: true);
        var snapshot = IptablesNftSnapshots.Home() with { Ruleset = IptablesNftSnapshots.Home().Ruleset.Merge(empty) };

        Assert.All(IptablesNftSnapshots.Findings(snapshot), f => Assert.True(f.Status == CheckStatus.Ok, $"{f.Check}: {f.Message}"));
    }

    [Fact]
    public void A_legacy_rule_names_the_legacy_tool_and_is_evaluated_apart_from_the_nft_table_of_the_same_name()
    {
        var legacy = IptablesSave.Parse("*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -i wireguard0 -j DROP\nCOMMIT\n", legacy: true);
        var snapshot = IptablesNftSnapshots.Home() with { Ruleset = IptablesNftSnapshots.Home().Ruleset.Merge(legacy) };

        var inbound = Assert.Single(IptablesNftSnapshots.Findings(snapshot), f => f.Check == "forward wireguard0→ens3");

        Assert.Equal("IPv4 wireguard0 → ens3 (new connections from the tunnel and replies to connections from the LAN) is dropped by rule `iptables-legacy -t filter -A FORWARD -i wireguard0 -j DROP`", inbound.Message);
        Assert.Equal(["iptables-legacy -I FORWARD -i wireguard0 -o ens3 -j ACCEPT"], inbound.Fixes);
        Assert.Single(snapshot.Ruleset.RulesOf(snapshot.Ruleset.Chain("ip", "filter", "FORWARD", legacy: true)!));
    }
}
