using Sitewire.E2E.Doctor;
using Sitewire.E2E.Infrastructure;
using Sitewire.Host.Lab;
using Sitewire.Host.Processes;

namespace Sitewire.E2E.Lab;

/// <summary>
/// The seed's relay (Rocky) and office (RHEL) run the real firewalld in the lab, each on its own system bus and
/// configuration: the plan's PostUp moves the tunnel into the zone for real, every flow agrees with verify, the machine's
/// own ruleset is untouched, and both daemons are gone with the lab.
/// </summary>
[Collection(LabCollection.Name)]
public class FirewalldLabTests
{
    [Fact]
    public void Relay_and_office_run_firewalld_the_plan_puts_the_tunnel_in_the_zone_flows_agree_and_nothing_remains()
    {
        var hostRuleset = Shell.Run("nft", "list", "ruleset").StandardOutput;
        var planned = PlannedLab.Load(Path.Combine(RepositoryPaths.Examples, "seed.yaml"));
        var progress = new List<string>();
        string id;
        List<LabProcess> processes;
        using (var lab = LabSession.Start(planned.Blueprint, new LabOptions(LabEngineKind.WireguardGo), line => { lock (progress) { progress.Add(line); } }))
        {
            id = lab.State.Id;
            processes = LabLeftovers.Snapshot(id);
            Assert.Equal(2, processes.Count(p => p.CommandLine.Contains("/usr/sbin/firewalld --nofork", StringComparison.Ordinal)));
            Assert.Equal(2, processes.Count(p => p.CommandLine.StartsWith("dbus-daemon --config-file=", StringComparison.Ordinal)));
            Assert.Contains(progress, l => l.StartsWith("[lab] firewalld: relay, office (private system bus each", StringComparison.Ordinal));
            Assert.Contains(progress, l => l.Contains("; relay, office: firewalld as verify assumes for the RHEL family", StringComparison.Ordinal));
            foreach (var node in new[] { "relay", "office" })
            {
                Assert.Equal("running", Exec(lab.State, node, "firewall-cmd --state"));
                Assert.Equal("public", Exec(lab.State, node, "firewall-cmd --get-zone-of-interface=wireguard0"));
                Assert.Contains("table inet firewalld", Exec(lab.State, node, "nft list tables"), StringComparison.Ordinal);
            }
            Assert.Equal("51820/udp", Exec(lab.State, "relay", "firewall-cmd --zone=public --list-ports"));
            Assert.NotEqual(0, LabExec.Run(lab.State, "home", ["firewall-cmd", "--state"]).ExitCode);

            var results = lab.RunFlows();

            Assert.All(results, r => Assert.True(r.Agrees && r.MeetsExpectation, $"{r.Flow.Name}: verify {r.Flow.Prediction}, lab {r.Outcome.Detail}"));
            Assert.All(["relay", "office"], node => Assert.Empty(DoctorJson.Problems(lab.State, node, "wireguard0")));
        }
        LabLeftovers.AssertNone(id, processes);
        Assert.Equal(hostRuleset, Shell.Run("nft", "list", "ruleset").StandardOutput);
    }

    [Fact]
    public void Without_firewalld_the_rhel_family_nodes_start_empty()
    {
        var planned = PlannedLab.Load(Path.Combine(RepositoryPaths.Examples, "seed.yaml"));
        var progress = new List<string>();
        using var lab = LabSession.Start(planned.Blueprint, new LabOptions(LabEngineKind.WireguardGo) { Firewalld = false }, line => { lock (progress) { progress.Add(line); } });

        Assert.DoesNotContain(LabLeftovers.Snapshot(lab.State.Id), p => p.CommandLine.Contains("firewalld", StringComparison.Ordinal));
        Assert.Contains(progress, l => l.Contains("relay, office: empty (RHEL family, --no-firewalld", StringComparison.Ordinal));
        Assert.DoesNotContain("firewalld", Exec(lab.State, "office", "nft list tables"), StringComparison.Ordinal);
        Assert.All(lab.RunFlows(), r => Assert.True(r.MeetsExpectation, $"{r.Flow.Name}: {r.Outcome.Detail}"));
    }

    internal static string Exec(LabState state, string node, string command) =>
        LabExec.Run(state, node, ["sh", "-c", command], TimeSpan.FromSeconds(30)).EnsureSuccess().StandardOutput.Trim();
}
