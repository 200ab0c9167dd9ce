using Sitewire.E2E.Infrastructure;
using Sitewire.Host.Lab;

namespace Sitewire.E2E.Lab;

/// <summary>
/// examples/policy.yaml (network.policy: flows) for real, with each userspace engine: the planned policy chains are in
/// place (iptables on the Ubuntu relay and home, the Debian branch; nftables beside the real firewalld on the Rocky
/// office), every allow passes and every deny is blocked — stopped by the network, never answered with a refusal —
/// as verify predicted, also the deny to a port nothing listens on.
/// </summary>
[Collection(LabCollection.Name)]
public class PolicyLabTests
{
    [Theory]
    [InlineData(LabEngineKind.Sitewired)]
    [InlineData(LabEngineKind.WireguardGo)]
    public void Every_allow_passes_and_every_deny_is_stopped_by_the_network_as_verify_predicts(LabEngineKind engine)
    {
        var planned = PlannedLab.Load(Path.Combine(RepositoryPaths.Examples, "policy.yaml"));
        string id;
        List<LabProcess> processes;
        using (var lab = LabSession.Start(planned.Blueprint, new LabOptions(engine), _ => { }))
        {
            id = lab.State.Id;
            processes = LabLeftovers.Snapshot(id);
            Assert.Contains("-A sitewire-wg0 -j DROP", FirewalldLabTests.Exec(lab.State, "relay", "iptables -S sitewire-wg0"), StringComparison.Ordinal);
            Assert.Contains("-A FORWARD -i wg0 -m comment --comment sitewire-wg0 -j sitewire-wg0", FirewalldLabTests.Exec(lab.State, "home", "iptables -S FORWARD"), StringComparison.Ordinal);
            Assert.Contains("iifname \"wg0\" drop", FirewalldLabTests.Exec(lab.State, "office", "nft list chain inet sitewire_wg0 flow_policy"), StringComparison.Ordinal);
            Assert.DoesNotContain(":22 ", FirewalldLabTests.Exec(lab.State, "nas", "ss -Htln"), StringComparison.Ordinal);

            var results = lab.RunFlows();

            Assert.All(results, r => Assert.True(r.Agrees && r.MeetsExpectation, $"{r.Flow.Name}: verify {r.Flow.Prediction}, lab {r.Outcome.Detail}"));
            Assert.Equal(15, results.Count);
            Assert.Equal(7, results.Count(r => !r.Flow.ExpectAllowed));
            Assert.All(results.Where(r => !r.Flow.ExpectAllowed), r => Assert.False(r.Outcome.Reached || r.Outcome.Refused, $"{r.Flow.Name}: {r.Outcome.Detail}"));
            var refusedAnyway = Assert.Single(results, r => r.Flow is { FromHost: "phone", Port: 22, ToAddress: "192.168.3.20" });
            Assert.Contains("relay", refusedAnyway.Flow.Prediction, StringComparison.Ordinal);
        }
        LabLeftovers.AssertNone(id, processes);
    }

    [Fact]
    public void The_cli_runs_the_policy_example_as_verify_predicts()
    {
        var (exitCode, output) = CliRun.Run(TimeSpan.FromSeconds(180), "lab", Path.Combine(RepositoryPaths.Examples, "policy.yaml"));

        Assert.True(exitCode == 0, output);
        Assert.Contains("15 of 15 flows as verify predicted", output, StringComparison.Ordinal);
        Assert.Matches(@"phone -> nas:22/tcp \(deny\)\s+blocked\s+blocked", output);
        LabLeftovers.AssertNone(CliRun.LabId(output), []);
    }
}
