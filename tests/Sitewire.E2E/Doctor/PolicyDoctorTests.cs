using Sitewire.E2E.Infrastructure;
using Sitewire.E2E.Lab;
using Sitewire.Host.Lab;

namespace Sitewire.E2E.Doctor;

/// <summary>
/// The doctor with the plan (`--topology --node`, and the plain `sitewire doctor wg0` with the expected state the lab
/// installs) on examples/policy.yaml's nodes: healthy under the flow policy (without the expected state the policy's drops
/// are reported as a forwarding problem, and the flow policy as not checked), and a deleted policy rule on the Ubuntu relay is named as the flow's line with the command that puts it back, which heals it
/// (the lab's flow then passes again).
/// </summary>
[Collection(LabCollection.Name)]
public class PolicyDoctorTests
{
    private static readonly string Topology = Path.Combine(RepositoryPaths.Examples, "policy.yaml");

    [Fact]
    public void A_deleted_policy_rule_on_the_relay_is_named_with_the_command_that_restores_it()
    {
        using var lab = LabSession.Start(PlannedLab.Load(Topology).Blueprint, new LabOptions(LabEngineKind.WireguardGo), _ => { });
        Assert.All(["relay", "home", "branch", "office"], node =>
            Assert.Empty(DoctorJson.Problems(lab.State, node, "wg0", "--topology", Topology, "--node", node)));
        Assert.All(["relay", "home", "branch", "office"], node => Assert.Empty(DoctorJson.Problems(lab.State, node, "wg0")));
        InstalledExpectedState.Without(lab.State, "relay", "wg0", () =>
        {
            var unplanned = DoctorJson.Findings(lab.State, "relay", "wg0");
            Assert.Contains(unplanned, f => f.Status == "problem" && f.Check.StartsWith("forward ", StringComparison.Ordinal));
            Assert.Contains(unplanned, f => f.Status == "warning" && f.Check == "expected state" && f.Message.Contains("flow policy were not checked", StringComparison.Ordinal));
        });
        const string Rule = "-s 192.168.3.50/32 -d 10.10.0.20/32 -p tcp -m tcp --dport 80 -j ACCEPT";

        LabExec.Run(lab.State, "relay", ["sh", "-c", $"iptables -D sitewire-wg0 {Rule}"]).EnsureSuccess();

        var problem = Assert.Single(DoctorJson.Problems(lab.State, "relay", "wg0", "--topology", Topology, "--node", "relay"));
        var plain = Assert.Single(DoctorJson.Problems(lab.State, "relay", "wg0"));
        Assert.Equal((problem.Check, problem.Message), (plain.Check, plain.Message));
        Assert.Equal(problem.Fixes, plain.Fixes);
        Assert.Equal("drift flow policy", problem.Check);
        Assert.Contains("planned allow flow at ", problem.Message, StringComparison.Ordinal);
        Assert.Contains("policy.yaml:72:5 (192.168.3.50/32 → 10.10.0.20/32 80/tcp) is dropped by rule", problem.Message, StringComparison.Ordinal);
        Assert.Equal(["iptables -I sitewire-wg0 2 -s 192.168.3.50/32 -d 10.10.0.20/32 -p tcp --dport 80 -j ACCEPT"], problem.Fixes);
        var padToIntranet = Assert.Single(lab.RunFlows(), r => r.Flow is { FromHost: "pad", Port: 80 });
        Assert.False(padToIntranet.Outcome.Reached, padToIntranet.Outcome.Detail);

        LabExec.Run(lab.State, "relay", ["sh", "-c", problem.Fixes[0]]).EnsureSuccess();

        Assert.Empty(DoctorJson.Problems(lab.State, "relay", "wg0", "--topology", Topology, "--node", "relay"));
        Assert.All(lab.RunFlows(), r => Assert.True(r.MeetsExpectation, $"{r.Flow.Name}: {r.Outcome.Detail}"));
    }
}
