using Sitewire.E2E.Infrastructure;
using Sitewire.E2E.Lab;
using Sitewire.Host.Lab;

namespace Sitewire.E2E.Doctor;

/// <summary>The seed lab, kept for the class: doctor on healthy nodes reports nothing; each injected fault is reported, alone (by its check and, as the lab installs each node's expected state, as drift from the plan).</summary>
public sealed class SeedLabFixture : IDisposable
{
    private readonly LoggedLab _lab;

    public SeedLabFixture()
    {
        _lab = new LoggedLab(Planned.Blueprint, new LabOptions(LabEngineKind.WireguardGo));
        _lab.AssertFlowsAsPredicted();
    }

    public PlannedLab Planned { get; } = PlannedLab.Load(Path.Combine(RepositoryPaths.Examples, "seed.yaml"));

    public LabSession Lab => _lab.Session;

    public void Dispose() => _lab.Dispose();
}

[Collection(LabCollection.Name)]
public class DoctorFaultTests(SeedLabFixture fixture) : IClassFixture<SeedLabFixture>
{
    private LabState State => fixture.Lab.State;

    [Theory]
    [InlineData("relay")]
    [InlineData("office")]
    [InlineData("home")]
    public void Healthy_nodes_have_no_problem(string node) => Assert.Empty(Problems(node));

    [Fact]
    public void Forwarding_off() =>
        WithFault("office", "sysctl -w net.ipv4.ip_forward=0", "sysctl -w net.ipv4.ip_forward=1", ["ip_forward", "drift sysctl"]);

    [Fact]
    public void Masquerade_removed() =>
        WithFault("office", "nft flush chain inet sitewire_wireguard0 postrouting",
            "nft add rule inet sitewire_wireguard0 postrouting ip saddr '{ 192.168.200.0/24, 192.168.3.0/24 }' oifname ens33 masquerade", ["masquerade ens33", "drift masquerade ens33", "drift masquerade ens33"]);

    /// <summary>The drop is in a table of its own, not firewalld's, though firewalld runs on the relay: the first fix accepts the port in that chain, and it works.</summary>
    [Fact]
    public void Port_blocked_with_nft()
    {
        const string revert = "nft delete table inet swfault";
        Run("relay", "nft 'add table inet swfault; add chain inet swfault input { type filter hook input priority 0; policy accept; }; add rule inet swfault input udp dport 51820 drop'");
        try
        {
            var problem = Assert.Single(Problems("relay"));
            Assert.Equal("udp port", problem.Check);
            Assert.StartsWith("nft insert rule inet swfault input iifname ", problem.Fixes[0], StringComparison.Ordinal);
            Run("relay", problem.Fixes[0]);
            Assert.Empty(Problems("relay"));
        }
        finally
        {
            Run("relay", revert);
        }
        Assert.Empty(Problems("relay"));
    }

    [Fact]
    public void Route_deleted() =>
        WithFault("home", "ip route del 172.18.3.0/24 dev wireguard0", "ip route add 172.18.3.0/24 dev wireguard0", ["routes"]);

    [Fact]
    public void Keepalive_removed_behind_nat()
    {
        var relay = Run("home", "wg show wireguard0 peers").Trim();
        WithFault("home", $"wg set wireguard0 peer {relay} persistent-keepalive 0", $"wg set wireguard0 peer {relay} persistent-keepalive 20", [$"keepalive peer {relay[..8]}…", "drift peer relay"], prefixMatch: true);
    }

    [Fact]
    public void Drift_against_the_plan_names_what_changed()
    {
        var seed = Path.Combine(RepositoryPaths.Examples, "seed.yaml");
        Assert.Empty(Problems("office", "--topology", seed, "--node", "office"));
        var relay = Run("home", "wg show wireguard0 peers").Trim();
        Run("home", $"wg set wireguard0 peer {relay} persistent-keepalive 0");
        try
        {
            var problems = Problems("home", "--topology", seed, "--node", "home");
            Assert.Contains(problems, p => p.Check == "drift peer relay" && p.Message == "planned PersistentKeepalive 20, live off");
        }
        finally
        {
            Run("home", $"wg set wireguard0 peer {relay} persistent-keepalive 20");
        }
    }

    [Fact]
    public void The_readme_command_checks_a_healthy_node_against_its_installed_expected_state()
    {
        var findings = DoctorJson.Findings(State, "home", "wireguard0");

        var expected = findings[0];
        Assert.Equal(("expected state", "ok", "checked against /etc/wireguard/sitewire-wireguard0.json (node home)"), (expected.Check, expected.Status, expected.Message));
        Assert.Contains(findings, f => f is { Check: "drift", Status: "ok" });
        Assert.DoesNotContain(findings, f => f.Status != "ok");
    }

    [Fact]
    public void A_missing_masquerade_is_a_problem_with_the_expected_state_and_only_a_warning_without()
    {
        var masquerades = Run("home", "iptables -t nat -S POSTROUTING").Split('\n').Where(line => line.Contains("MASQUERADE", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(masquerades);
        foreach (var rule in masquerades)
        {
            Run("home", "iptables -t nat " + rule.Replace("-A ", "-D ", StringComparison.Ordinal));
        }
        try
        {
            Assert.Equal(["masquerade ens3", "drift masquerade ens3", "drift masquerade ens3", "drift masquerade ens3"], Problems("home").Select(p => p.Check));
            InstalledExpectedState.Without(State, "home", "wireguard0", () =>
            {
                var masquerade = Assert.Single(DoctorJson.Findings(State, "home", "wireguard0"), f => f.Check == "masquerade ens3");
                Assert.Equal("warning", masquerade.Status);
                Assert.Empty(Problems("home"));
            });
        }
        finally
        {
            foreach (var rule in masquerades)
            {
                Run("home", "iptables -t nat " + rule);
            }
        }
        Assert.Empty(Problems("home"));
    }

    [Fact]
    public void AllowedIps_that_no_longer_cover_a_planned_prefix_are_a_problem_with_the_expected_state()
    {
        var (relay, allowed) = RelayPeer("home");
        Assert.Contains("172.17.50.0/24", allowed);
        Run("home", $"wg set wireguard0 peer {relay} allowed-ips {string.Join(',', allowed.Where(a => a != "172.17.50.0/24"))}");
        try
        {
            var drift = Assert.Single(Problems("home"));
            Assert.Equal("drift peer relay", drift.Check);
            Assert.EndsWith(": 172.17.50.0/24 is no longer sent to relay nor accepted from it (what wireguard0 routes there and no peer takes is dropped)", drift.Message, StringComparison.Ordinal);
            Assert.Equal([$"wg set wireguard0 peer {relay} allowed-ips {string.Join(',', allowed.Order(StringComparer.Ordinal))}"], drift.Fixes);
            InstalledExpectedState.Without(State, "home", "wireguard0", () => Assert.Empty(Problems("home")));
            Run("home", drift.Fixes[0]);
            Assert.Empty(Problems("home"));
        }
        finally
        {
            Run("home", $"wg set wireguard0 peer {relay} allowed-ips {string.Join(',', allowed)}");
        }
    }

    [Fact]
    public void Without_an_expected_state_the_doctor_says_what_it_could_not_check_and_exits_by_what_it_checked()
    {
        InstalledExpectedState.Without(State, "office", "wireguard0", () =>
        {
            var result = LabExec.Run(State, "office", [RepositoryPaths.Sitewire, "doctor", "wireguard0"], TimeSpan.FromSeconds(60));

            Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
            Assert.Contains("warning  expected state: no expected state found at /etc/wireguard/sitewire-wireguard0.json (`sitewire plan` writes it as NODE/sitewire-wireguard0.json; " +
                "install it there, or pass --expected FILE or --topology FILE --node NAME): the planned addresses, peers (public keys, AllowedIPs, endpoints, keepalives), " +
                "masquerade, prefix maps, sysctls and flow policy were not checked", result.StandardOutput, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void An_expected_state_for_another_interface_or_version_is_refused_naming_the_file()
    {
        var installed = InstalledExpectedState.PathOf(State, "office", "wireguard0");
        var original = File.ReadAllText(installed);
        try
        {
            File.WriteAllText(installed, original.Replace("\"version\": 1,", "\"version\": 7,", StringComparison.Ordinal));
            var result = LabExec.Run(State, "office", [RepositoryPaths.Sitewire, "doctor", "wireguard0"], TimeSpan.FromSeconds(60));
            Assert.Equal(2, result.ExitCode);
            Assert.Contains("/etc/wireguard/sitewire-wireguard0.json:2:14: error: version: version 7 is not one this sitewire reads", result.StandardError, StringComparison.Ordinal);

            File.WriteAllText(installed, original.Replace("\"interface\": \"wireguard0\"", "\"interface\": \"wg9\"", StringComparison.Ordinal));
            result = LabExec.Run(State, "office", [RepositoryPaths.Sitewire, "doctor", "wireguard0"], TimeSpan.FromSeconds(60));
            Assert.Equal(2, result.ExitCode);
            Assert.Contains("error: interface: the file describes interface 'wg9' (node office), not wireguard0", result.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            File.WriteAllText(installed, original);
        }
        var elsewhere = Path.Combine(State.Directory, "office-expected.json");
        File.Copy(installed, elsewhere, overwrite: true);
        InstalledExpectedState.Without(State, "office", "wireguard0", () => Assert.Empty(Problems("office", "--expected", elsewhere)));
    }

    private (string Key, IReadOnlyList<string> Allowed) RelayPeer(string node)
    {
        var line = Run(node, "wg show wireguard0 allowed-ips").Trim().Split('\t');
        return (line[0], line[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    private void WithFault(string node, string inject, string revert, string[] expected, bool prefixMatch = false)
    {
        Run(node, inject);
        try
        {
            var problems = Problems(node).Select(p => p.Check).ToList();
            if (prefixMatch)
            {
                Assert.Equal(expected.Length, problems.Count);
                Assert.All(expected.Zip(problems), pair => Assert.StartsWith(pair.First, pair.Second, StringComparison.Ordinal));
            }
            else
            {
                Assert.Equal(expected, problems);
            }
        }
        finally
        {
            Run(node, revert);
        }
        Assert.Empty(Problems(node));
    }

    private IReadOnlyList<DoctorFindingJson> Problems(string node, params string[] options) => DoctorJson.Problems(State, node, "wireguard0", options);

    private string Run(string node, string command) => LabExec.Run(State, node, ["sh", "-c", command], TimeSpan.FromSeconds(30)).EnsureSuccess().StandardOutput;
}
