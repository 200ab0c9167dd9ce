using Sitewire.Host.Live;
using Sitewire.Host.Linux;
using Sitewire.Host.Tests.Doctor;
using Sitewire.Netfilter;
using Sitewire.Planner.Model;
using Sitewire.Planner.Trace;
using Sitewire.Planner.Verify;

namespace Sitewire.Host.Tests.Live;

/// <summary>What verify --live makes of a snapshot directory that does not hold one good snapshot per node: a finding each, never a crash.</summary>
public sealed class LiveVerifierTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sitewire-live-").FullName;

    private static Config.Topology.Topology Seed => InMemoryPlan.LoadTopology(Path.Combine(AppContext.BaseDirectory, "Recorded", "seed.yaml"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void On_the_recorded_healthy_seed_lab_every_flow_holds_with_no_finding()
    {
        var report = LiveVerifier.Verify(Seed, SeedLab.Snapshots, SeedLab.TakenAt);

        Assert.Empty(report.Findings);
        Assert.Equal(4, report.Flows.Count);
        Assert.All(report.Flows, flow => Assert.True(flow.Met, flow.Problem));
    }

    [Fact]
    public void A_node_without_a_snapshot_is_taken_as_planned_with_the_key_its_peers_use()
    {
        foreach (var node in new[] { "office", "home" })
        {
            File.Copy(Path.Combine(SeedLab.Snapshots, node + ".json"), Path.Combine(_directory, node + ".json"));
        }

        var report = LiveVerifier.Verify(Seed, _directory, SeedLab.TakenAt);

        Assert.Equal(["snapshot-missing relay"], Codes(report));
        Assert.All(report.Flows, flow => Assert.True(flow.Met, flow.Problem));
    }

    [Fact]
    public void Forwarding_off_in_the_office_snapshot_breaks_the_flows_through_the_office_naming_the_sysctl()
    {
        foreach (var node in new[] { "relay", "home" })
        {
            File.Copy(Path.Combine(SeedLab.Snapshots, node + ".json"), Path.Combine(_directory, node + ".json"));
        }
        var office = SeedLab.Snapshot("office");
        var sysctls = new Dictionary<string, string>(office.Sysctls) { ["net/ipv4/ip_forward"] = "0" };
        File.WriteAllText(Path.Combine(_directory, "office.json"), NodeSnapshotFile.Write("office", office with { Sysctls = sysctls }));

        var report = LiveVerifier.Verify(Seed, _directory, SeedLab.TakenAt);

        Assert.Equal(["pad -> web:80/tcp (allow)", "desk -> nas:5000/tcp (allow)"], report.Flows.Where(f => !f.Met).Select(f => f.Flow.ToString()));
        Assert.All(report.Flows.Where(f => !f.Met), flow =>
        {
            Assert.Equal("office", flow.BrokenAt);
            Assert.Contains("net.ipv4.ip_forward is off on office", flow.Problem, StringComparison.Ordinal);
        });
    }

    /// <summary>As the lab measured it: with the office's tunnel in firewalld's `trusted` zone (target ACCEPT), what enters by the tunnel passes, and only new connections from the LAN into the tunnel are rejected.</summary>
    [Fact]
    public void The_office_tunnel_in_the_trusted_zone_breaks_only_the_flow_that_enters_the_tunnel_from_the_lan()
    {
        var report = WithOfficeFirewalld(firewalld => firewalld with
        {
            Zones = [.. firewalld.Zones.Select(zone => zone with
            {
                Interfaces = zone.Name == "trusted" ? ["wireguard0"] : [.. zone.Interfaces.Where(i => i != "wireguard0")],
            })],
        });

        var broken = Assert.Single(report.Flows, f => !f.Met);
        Assert.Equal("desk -> nas:5000/tcp (allow)", broken.Flow.ToString());
        Assert.Contains("firewalld forwards nothing from zone 'public' (ens33) to zone 'trusted' (wireguard0)", broken.Problem, StringComparison.Ordinal);
        Assert.Empty(report.Findings);
    }

    [Fact]
    public void Services_open_their_ports_and_what_the_model_does_not_judge_is_named()
    {
        var report = WithOfficeFirewalld(firewalld => firewalld with
        {
            Zones = [.. firewalld.Zones.Select(zone => zone.Name != "public" ? zone : zone with
            {
                Ports = [],
                Services = [.. zone.Services, "http", "mystery"],
                Sources = ["10.9.0.0/16"],
                RichRules = ["rule family=\"ipv4\" source address=\"10.1.0.0/16\" accept"],
            })],
            ServicePorts = new Dictionary<string, IReadOnlyList<string>>(firewalld.ServicePorts) { ["http"] = ["80/tcp"] },
        });

        Assert.All(report.Flows, flow => Assert.True(flow.Met, flow.Problem));
        Assert.Equal(
        [
            "firewalld zone 'public' binds the sources 10.9.0.0/16 (zones are judged by interface only): verify --live leaves it out",
            "firewalld zone 'public' has the rich rule `rule family=\"ipv4\" source address=\"10.1.0.0/16\" accept`: verify --live leaves it out",
            "firewalld zone 'public' opens the service mystery, whose ports were not read: verify --live leaves it out",
        ], report.Findings.Where(f => f.Code == "snapshot-entry-not-modelled").Select(f => f.Message));
    }

    [Fact]
    public void What_of_a_zone_or_policy_only_opens_rewrites_or_refuses_beyond_the_model_is_named_and_neighbour_discovery_is_not()
    {
        var none = Array.Empty<string>();
        var report = WithOfficeFirewalld(firewalld => firewalld with
        {
            Zones = [.. firewalld.Zones.Select(zone => zone.Name != "public" ? zone : zone with
            {
                ForwardPorts = ["port=8080:proto=tcp:toport=80:toaddr=172.18.3.9"],
                SourcePorts = ["68/udp"],
                Protocols = ["gre"],
            })],
            Policies =
            [
                .. firewalld.Policies,
                new FirewalldPolicyState("lockdown", "REJECT", ["public"], ["HOST"], none, none, none, false, none, none, none, none),
                new FirewalldPolicyState("open-host", "ACCEPT", ["ANY"], ["HOST"], none, none, none, false, none, none, none, none),
                new FirewalldPolicyState("lan-out", "CONTINUE", ["public"], ["ANY"], ["https"], ["53/udp"], none, true, none, none, ["echo-reply"],
                    ["rule family=\"ipv4\" source address=\"10.1.0.0/16\" drop"]),
                new FirewalldPolicyState("idle", "REJECT", ["dmz"], ["public"], none, none, none, false, none, none, none, none),
            ],
        });

        Assert.Equal(
        [
            "firewalld zone 'public' forwards port=8080:proto=tcp:toport=80:toaddr=172.18.3.9",
            "firewalld zone 'public' opens the source port 68/udp",
            "firewalld zone 'public' opens the protocol gre",
            "firewalld policy 'lockdown' (public → HOST) has target REJECT (it refuses before the zones; taken as no policy)",
            "firewalld policy 'open-host' (ANY → HOST) accepts what enters the node itself (input is judged by the zones only)",
            "firewalld policy 'lan-out' (public → ANY) opens the service https",
            "firewalld policy 'lan-out' (public → ANY) opens 53/udp",
            "firewalld policy 'lan-out' (public → ANY) blocks ICMP echo-reply",
            "firewalld policy 'lan-out' (public → ANY) masquerades",
            "firewalld policy 'lan-out' (public → ANY) has the rich rule `rule family=\"ipv4\" source address=\"10.1.0.0/16\" drop`",
        ], report.Findings.Where(f => f.Code == "snapshot-entry-not-modelled").Select(f => f.Message.Replace(": verify --live leaves it out", "", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_policy_routing_rule_beyond_the_kernels_and_wg_quicks_is_named()
    {
        foreach (var node in new[] { "relay", "office" })
        {
            File.Copy(Path.Combine(SeedLab.Snapshots, node + ".json"), Path.Combine(_directory, node + ".json"));
        }
        var home = SeedLab.Snapshot("home");
        var extra = PolicyRules.Parse("1000:\tfrom 192.168.3.50 lookup 100\n", IpFamily.V4);
        File.WriteAllText(Path.Combine(_directory, "home.json"), NodeSnapshotFile.Write("home", home with { PolicyRules = [.. home.PolicyRules, .. extra] }));

        var report = LiveVerifier.Verify(Seed, _directory, SeedLab.TakenAt);

        var named = Assert.Single(report.Findings, f => f.Code == "snapshot-entry-not-modelled");
        Assert.Equal(("home", "the IPv4 policy routing rule `1000: from 192.168.3.50 lookup 100` (routes are judged by the main table and wg-quick's own rules only): verify --live leaves it out"),
            (named.Node, named.Message));
    }

    private VerifyReport WithOfficeFirewalld(Func<FirewalldState, FirewalldState> edit)
    {
        foreach (var node in new[] { "relay", "home" })
        {
            File.Copy(Path.Combine(SeedLab.Snapshots, node + ".json"), Path.Combine(_directory, node + ".json"));
        }
        var office = SeedLab.Snapshot("office");
        File.WriteAllText(Path.Combine(_directory, "office.json"), NodeSnapshotFile.Write("office", office with { Firewalld = edit(office.Firewalld!) }));
        return LiveVerifier.Verify(Seed, _directory, SeedLab.TakenAt);
    }

    [Fact]
    public void Values_that_are_not_what_they_should_be_are_left_out_as_findings_not_a_crash()
    {
        var home = SeedLab.Snapshot("home");
        var wireGuard = home.WireGuard[0];
        var edited = home with
        {
            WireGuard = [wireGuard with { Peers = [.. wireGuard.Peers.Select(p => p with { AllowedIps = [.. p.AllowedIps, "garbage"] }), wireGuard.Peers[0] with { PublicKey = "abc" }] }],
            Routes = [.. home.Routes, home.Routes[0] with { Destination = "nonsense" }, home.Routes[0] with { Destination = "10.9.9.0/24", Gateway = "x" }],
            Addresses = [.. home.Addresses, home.Addresses[0] with { Address = "zzz" }],
            Ruleset = home.Ruleset with { Rules = [.. home.Ruleset.Rules.Select(r => r with { Matches = new Dictionary<string, string>(r.Matches) { ["dport"] = "a-b" } })] },
        };
        File.WriteAllText(Path.Combine(_directory, "home.json"), NodeSnapshotFile.Write("home", edited));

        var findings = LiveVerifier.Verify(Seed, _directory, SeedLab.TakenAt).Findings.Where(f => f.Code == "snapshot-entry-not-modelled").Select(f => f.Message).ToList();

        Assert.Contains(findings, m => m.Contains("allowed IP 'garbage' is not a prefix", StringComparison.Ordinal));
        Assert.Contains(findings, m => m.Contains("route 'nonsense'", StringComparison.Ordinal));
        Assert.Contains(findings, m => m.Contains("via 'x': the gateway is not an address", StringComparison.Ordinal));
    }

    [Fact]
    public void Trace_walks_the_live_model_naming_the_live_rules_that_accept()
    {
        var topology = Seed;
        var target = Tracer.ResolveTarget(topology, "pad", "web:80/tcp", ipv6: false, out _)!;

        var result = Tracer.Check(new FlowSimulator(LiveVerifier.Model(topology, SeedLab.Snapshots, SeedLab.TakenAt).Network), topology, "pad", target, out _)!;

        Assert.True(result.Passes, result.Problem);
        var home = result.ForwardHops.Single(hop => hop.Host == "home");
        Assert.Contains("forward accepted by live ", home.Decision, StringComparison.Ordinal);
        Assert.Contains("rule `iptables -t filter -A FORWARD -i ens3 -o wireguard0 -m comment --comment sitewire-wireguard0 -j ACCEPT` in ip filter FORWARD", home.Decision, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_snapshots_every_node_is_a_missing_snapshot_and_the_flows_are_proven_as_planned()
    {
        var report = LiveVerifier.Verify(Seed, _directory, IptablesNftSnapshots.Now);

        Assert.Equal(["snapshot-missing relay", "snapshot-missing office", "snapshot-missing home"], Codes(report));
        Assert.All(report.Flows, flow => Assert.True(flow.Met, flow.Problem));
        Assert.False(report.Passed);
    }

    [Fact]
    public void A_malformed_snapshot_is_a_finding_at_its_line()
    {
        File.WriteAllText(Path.Combine(_directory, "home.json"), "{\n  \"version\": 3,\n  \"node\": 7\n}\n");

        var unreadable = Assert.Single(LiveVerifier.Verify(Seed, _directory, IptablesNftSnapshots.Now).Findings, f => f.Code == "snapshot-unreadable");

        Assert.Equal(("home", 3), (unreadable.Node, unreadable.Location!.Line));
        Assert.EndsWith("home.json", unreadable.Location.File, StringComparison.Ordinal);
    }

    [Fact]
    public void A_snapshot_of_another_node_or_topology_is_not_used()
    {
        File.WriteAllText(Path.Combine(_directory, "relay.json"), NodeSnapshotFile.Write("home", IptablesNftSnapshots.Home()));
        File.WriteAllText(Path.Combine(_directory, "office.json"), NodeSnapshotFile.Write("office", IptablesNftSnapshots.Home()));

        var findings = LiveVerifier.Verify(Seed, _directory, IptablesNftSnapshots.Now).Findings;

        Assert.Contains(findings, f => f is { Code: "snapshot-of-another-node", Node: "relay" } && f.Message.Contains("the snapshot of 'home'", StringComparison.Ordinal));
        Assert.Contains(findings, f => f is { Code: "snapshot-of-another-topology", Node: "office" } && f.Message.Contains("192.168.200.2", StringComparison.Ordinal));
    }

    [Fact]
    public void A_stale_snapshot_is_a_warning_and_a_file_of_no_node_is_left_out()
    {
        File.WriteAllText(Path.Combine(_directory, "home.json"), NodeSnapshotFile.Write("home", IptablesNftSnapshots.Home()));
        File.WriteAllText(Path.Combine(_directory, "nas2.json"), "{}");

        var findings = LiveVerifier.Verify(Seed, _directory, IptablesNftSnapshots.Now.AddHours(2)).Findings;

        Assert.Contains(findings, f => f is { Code: "snapshot-stale", Node: "home", Severity: Severity.Warning } && f.Message.Contains("120 minutes ago", StringComparison.Ordinal));
        Assert.Contains(findings, f => f is { Code: "snapshot-of-unknown-node", Severity: Severity.Warning } && f.Message.Contains("nas2.json", StringComparison.Ordinal));
        Assert.DoesNotContain(findings, f => f.Code == "snapshot-unreadable");
    }

    private static IEnumerable<string> Codes(VerifyReport report) => report.Findings.Select(f => $"{f.Code} {f.Node}");
}
