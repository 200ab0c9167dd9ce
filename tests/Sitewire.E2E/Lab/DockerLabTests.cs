using Sitewire.E2E.Doctor;
using Sitewire.E2E.Infrastructure;
using Sitewire.Host.Lab;
using Sitewire.Host.Processes;
using Sitewire.Planner.Layout;

namespace Sitewire.E2E.Lab;

/// <summary>
/// Nodes that start with Docker's recorded ruleset (<see cref="LabDocker"/>: FORWARD policy DROP, DOCKER-USER first),
/// replayed with iptables-restore before the plan's PostUp. With `docker: true` the plan's accepts in DOCKER-USER let every
/// flow through and the doctor finds both nodes healthy; with office's DOCKER-USER left alone, Docker's FORWARD policy
/// drops both flows through office (RHEL: firewalld's accept does not override Docker's table) where verify says, and the
/// doctor names it with the DOCKER-USER accept, which makes the flows pass. Docker's ruleset replayed into iptables-legacy
/// beside the planned iptables-nft rules is the trap the doctor names.
/// </summary>
[Collection(LabCollection.Name)]
public class DockerLabTests
{
    [Fact]
    public void With_docker_true_the_flows_pass_beside_dockers_ruleset_and_the_doctor_finds_both_nodes_healthy()
    {
        var planned = PlannedLab.Load(Path.Combine(RepositoryPaths.Examples, "docker.yaml"));
        Assert.All(planned.Verification.Flows, f => Assert.True(f.Met, f.Problem));
        var options = new LabOptions(LabEngineKind.Sitewired);
        using var lab = new LoggedLab(planned.Blueprint, options);

        lab.AssertFlowsAsPredicted();

        var state = lab.Session.State;
        Assert.Contains(":FORWARD DROP", LabExec.Run(state, "office", ["iptables-save", "-t", "filter"]).EnsureSuccess().StandardOutput, StringComparison.Ordinal);
        Assert.Contains("-A DOCKER-USER -i wireguard0 -o ens3 -m comment --comment sitewire-wireguard0 -j ACCEPT",
            LabExec.Run(state, "home", ["iptables-save", "-t", "filter"]).EnsureSuccess().StandardOutput, StringComparison.Ordinal);
        foreach (var node in new[] { "office", "home" })
        {
            Assert.Empty(DoctorJson.Problems(state, node, "wireguard0", "--topology", Path.Combine(RepositoryPaths.Examples, "docker.yaml"), "--node", node));
        }
    }

    [Fact]
    public void Without_the_docker_user_accepts_dockers_forward_policy_drops_the_tunnel_where_verify_says_and_the_doctors_fix_opens_it()
    {
        var planned = PlannedLab.Load(RepositoryPaths.LabTopology("docker-user-unplanned.yaml"));
        var dropped = planned.Verification.Flows.Where(f => !f.Met).ToList();
        Assert.Equal(["pad -> web:80/tcp (allow)", "desk -> nas:5000/tcp (allow)"], dropped.Select(f => f.Flow.ToString()));
        Assert.All(dropped, f => Assert.Contains("Docker's FORWARD policy is DROP", f.Problem, StringComparison.Ordinal));
        var options = new LabOptions(LabEngineKind.Sitewired);
        using var lab = new LoggedLab(planned.Blueprint, options);

        lab.AssertFlowsAsPredicted();

        var state = lab.Session.State;
        var problems = DoctorJson.Problems(state, "office", "wireguard0");
        Assert.Equal(["forward wireguard0→ens33", "forward ens33→wireguard0"], problems.Select(p => p.Check));
        Assert.StartsWith("IPv4 wireguard0 → ens33 (new connections from the tunnel and replies to connections from the LAN) is dropped by the policy drop of ip filter FORWARD, Docker's firewall",
            problems[0].Message, StringComparison.Ordinal);
        Assert.Equal(["iptables -I DOCKER-USER -i wireguard0 -o ens33 -j ACCEPT"], problems[0].Fixes);
        Console.WriteLine($"[docker] doctor on office: {problems[0].Check}: {problems[0].Message}\n  fix: {problems[0].Fixes[0]}");

        foreach (var problem in problems)
        {
            LabExec.Run(state, "office", ["sh", "-c", problem.Fixes[0]]).EnsureSuccess();
        }

        Assert.Empty(DoctorJson.Problems(state, "office", "wireguard0"));
        Assert.All(LabFlows.Run(state, options), r => Assert.True(r.MeetsExpectation, $"{r.Flow.Name}: {r.Outcome.Detail}"));
    }

    [Fact]
    public void Dockers_ruleset_in_iptables_legacy_beside_the_planned_iptables_nft_rules_is_named_as_the_trap_it_is()
    {
        Assert.NotNull(Executables.Which("iptables-legacy-restore"));
        var planned = PlannedLab.Load(Path.Combine(RepositoryPaths.Examples, "docker.yaml"));
        var options = new LabOptions(LabEngineKind.Sitewired);
        using var lab = new LoggedLab(planned.Blueprint, options);
        var state = lab.Session.State;

        LabExec.Run(state, "home", ["iptables-legacy-restore"], standardInput: StartingRuleset.DockerIptablesSave).EnsureSuccess();

        var findings = DoctorJson.Findings(state, "home", "wireguard0");
        var trap = Assert.Single(findings, f => f.Check == "iptables backends");
        Assert.Equal("warning", trap.Status);
        Assert.True(trap.Message.StartsWith("iptables-legacy and nftables both hold rules (legacy: ip filter, ip nat; nftables: ", StringComparison.Ordinal), trap.Message);
        var inbound = Assert.Single(findings, f => f.Check == "forward wireguard0→ens3");
        Assert.Equal("problem", inbound.Status);
        Assert.StartsWith("IPv4 wireguard0 → ens3 (new connections from the tunnel and replies to connections from the LAN) is dropped by the policy drop of iptables-legacy's ip filter FORWARD, Docker's firewall",
            inbound.Message, StringComparison.Ordinal);
        Assert.Equal(["iptables-legacy -I DOCKER-USER -i wireguard0 -o ens3 -j ACCEPT"], inbound.Fixes);
        Assert.Contains(LabFlows.Run(state, options), r => r.Flow.ExpectAllowed && !r.Outcome.Reached);

        foreach (var problem in findings.Where(f => f.Status == "problem"))
        {
            LabExec.Run(state, "home", ["sh", "-c", problem.Fixes[0]]).EnsureSuccess();
        }

        Assert.Empty(DoctorJson.Problems(state, "home", "wireguard0"));
        Assert.All(LabFlows.Run(state, options), r => Assert.True(r.MeetsExpectation, $"{r.Flow.Name}: {r.Outcome.Detail}"));
    }
}
