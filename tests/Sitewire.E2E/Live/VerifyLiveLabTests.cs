using Sitewire.E2E.Doctor;
using Sitewire.E2E.Infrastructure;
using Sitewire.E2E.Lab;
using Sitewire.Host.Lab;
using Sitewire.Planner.Verify;

namespace Sitewire.E2E.Live;

/// <summary>
/// `verify --live` on the seed lab (<see cref="LiveLab"/>). Healthy, every flow holds; with
/// each fault the doctor tests inject, and two of firewalld's, exactly the flows the lab measures as broken are predicted broken, and no other.
/// </summary>
[Collection(LabCollection.Name)]
public class VerifyLiveLabTests(SeedLabFixture fixture) : IClassFixture<SeedLabFixture>
{
    private LabState State => fixture.Lab.State;

    [Fact]
    public void On_the_healthy_lab_every_flow_holds_as_the_lab_measures()
    {
        var report = Measured(expectBroken: false);
        Assert.DoesNotContain(report.Findings, f => f.Severity == Severity.Error);
    }

    [Fact]
    public void Forwarding_off() => WithFault("office", "sysctl -w net.ipv4.ip_forward=0", "sysctl -w net.ipv4.ip_forward=1");

    [Fact]
    public void Masquerade_removed() =>
        WithFault("office", "nft flush chain inet sitewire_wireguard0 postrouting",
            "nft add rule inet sitewire_wireguard0 postrouting ip saddr '{ 192.168.200.0/24, 192.168.3.0/24 }' oifname ens33 masquerade");

    [Fact]
    public void Port_blocked_with_nft() =>
        WithFault("relay", "nft 'add table inet swfault; add chain inet swfault input { type filter hook input priority 0; policy accept; }; add rule inet swfault input udp dport 51820 drop'",
            "nft delete table inet swfault");

    [Fact]
    public void Route_deleted() => WithFault("home", "ip route del 172.18.3.0/24 dev wireguard0", "ip route add 172.18.3.0/24 dev wireguard0");

    [Fact]
    public void Firewalld_zone_stops_forwarding() =>
        WithFault("office", "firewall-cmd --zone=public --remove-forward", "firewall-cmd --zone=public --add-forward");

    /// <summary>The trusted zone's target ACCEPT lets what enters by the tunnel through; what enters by the LAN towards the tunnel crosses zones without a policy.</summary>
    [Fact]
    public void Tunnel_moved_into_the_trusted_zone() =>
        WithFault("office", "firewall-cmd --zone=trusted --change-interface=wireguard0", "firewall-cmd --zone=public --change-interface=wireguard0");

    /// <summary>What of firewalld the model leaves out, as the real firewall-cmd prints it, is read and named; the flows it does not touch hold as the lab measures.</summary>
    [Fact]
    public void Firewalld_forward_ports_and_protocols_are_named_and_the_flows_hold_as_measured()
    {
        const string forwardPort = "port=8080:proto=tcp:toport=80:toaddr=172.18.3.9";
        Run("office", $"firewall-cmd --zone=public --add-forward-port={forwardPort} && firewall-cmd --zone=public --add-protocol=gre && firewall-cmd --zone=public --add-icmp-block=timestamp-request");
        try
        {
            var named = Measured(expectBroken: false).Findings.Where(f => f.Code == "snapshot-entry-not-modelled" && f.Node == "office").Select(f => f.Message).ToList();

            Assert.Contains($"firewalld zone 'public' forwards {forwardPort}: verify --live leaves it out", named);
            Assert.Contains("firewalld zone 'public' opens the protocol gre: verify --live leaves it out", named);
        }
        finally
        {
            Run("office", $"firewall-cmd --zone=public --remove-forward-port={forwardPort}; firewall-cmd --zone=public --remove-protocol=gre; firewall-cmd --zone=public --remove-icmp-block=timestamp-request");
        }
    }

    /// <summary>A policy routing rule the model does not judge is read from the node and named; an empty table changes no route, so the flows hold as measured.</summary>
    [Fact]
    public void A_policy_routing_rule_beyond_wg_quicks_is_named_and_the_flows_hold_as_measured()
    {
        Run("home", "ip rule add from 192.168.3.50 lookup 100 priority 1000");
        try
        {
            var named = Measured(expectBroken: false).Findings.Where(f => f.Code == "snapshot-entry-not-modelled" && f.Node == "home").Select(f => f.Message).ToList();

            Assert.Contains("the IPv4 policy routing rule `1000: from 192.168.3.50 lookup 100` (routes are judged by the main table and wg-quick's own rules only): verify --live leaves it out", named);
        }
        finally
        {
            Run("home", "ip rule del from 192.168.3.50 lookup 100 priority 1000");
        }
    }

    [Fact]
    public void The_cli_names_the_node_and_the_fix_and_fails_and_trace_shows_where()
    {
        Run("office", "sysctl -w net.ipv4.ip_forward=0");
        try
        {
            using var directory = new TemporaryDirectory();
            var (taken, snapshotOutput) = CliRun.Run(TimeSpan.FromSeconds(120), "lab", "snapshot", "--lab", State.Id, "--out", directory.Path);
            Assert.True(taken == 0, snapshotOutput);
            Assert.All(State.Tunnels.Keys, node => Assert.True(File.Exists(Path.Combine(directory.Path, node + ".json")), snapshotOutput));

            var (exitCode, output) = CliRun.Run(TimeSpan.FromSeconds(60), "verify", Path.Combine(RepositoryPaths.Examples, "seed.yaml"), "--live", directory.Path);

            Assert.True(exitCode == 1, output);
            Assert.Contains("BROKEN", output, StringComparison.Ordinal);
            Assert.Contains("sysctl -w net.ipv4.ip_forward=1", output, StringComparison.Ordinal);
            Assert.Contains("verify: FAILED", output, StringComparison.Ordinal);

            var (traced, trace) = CliRun.Run(TimeSpan.FromSeconds(60), "trace", Path.Combine(RepositoryPaths.Examples, "seed.yaml"), "--live", directory.Path, "--from", "pad", "--to", "web:80/tcp");

            Assert.True(traced == 1, trace);
            Assert.Contains("trace pad -> web:80/tcp: BROKEN (forward)", trace, StringComparison.Ordinal);
            Assert.Contains("net.ipv4.ip_forward is off on office", trace, StringComparison.Ordinal);
        }
        finally
        {
            Run("office", "sysctl -w net.ipv4.ip_forward=1");
        }
    }

    private LiveLab Live => new(fixture.Planned, fixture.Lab);

    private VerifyReport Measured(bool expectBroken) => Live.Measured(expectBroken);

    private void WithFault(string node, string inject, string revert) => Live.WithFault(node, inject, revert);

    private string Run(string node, string command) => Live.Run(node, command);
}
