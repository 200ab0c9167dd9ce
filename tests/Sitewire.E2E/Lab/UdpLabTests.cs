using Sitewire.E2E.Infrastructure;
using Sitewire.Host.Lab;

namespace Sitewire.E2E.Lab;

/// <summary>
/// UDP flows for real: a datagram answered over each family, to a LAN host across the tunnel and to a node; unserved
/// ports refused by the host (ICMP port unreachable), which verify predicts as refused too, and which does not meet a
/// deny (issue 16.11: the network let them through); all as verify predicted.
/// </summary>
[Collection(LabCollection.Name)]
public class UdpLabTests
{
    [Fact]
    public void Udp_flows_are_answered_or_refused_over_both_families_as_verify_predicts()
    {
        var planned = PlannedLab.Load(Path.Combine(RepositoryPaths.Root, "tests", "Sitewire.E2E", "Lab", "Topologies", "udp-flows.yaml"));
        string id;
        List<LabProcess> processes;
        using (var lab = LabSession.Start(planned.Blueprint, new LabOptions(LabEngineKind.Sitewired), _ => { }))
        {
            id = lab.State.Id;
            processes = LabLeftovers.Snapshot(id);
            var results = lab.RunFlows();

            Assert.Equal(6, results.Count);
            Assert.All(results, r => Assert.True(r.Agrees && r.MeetsExpectation == r.Flow.ExpectAllowed, $"{r.Flow.Name}: verify {r.Flow.Prediction}, lab {r.Outcome.Detail}"));
            Assert.All(results.Where(r => !r.Flow.ExpectAllowed), r => Assert.True(r.Flow.PredictedRefused && r.Outcome.Refused, $"{r.Flow.Name}: verify {r.Flow.Prediction}, lab {r.Outcome.Detail}"));
            Assert.All(results, r => Assert.Equal(LabProtocol.Udp, r.Flow.Protocol));
            Assert.Equal(
                [("10.11.0.53", true), ("fd00:11:10::53", true), ("fd00:61::14", true), ("10.61.0.20", true), ("fd00:11:20::50", false), ("10.11.0.53", false)],
                results.Select(r => (r.Flow.ToAddress, r.Outcome.Reached)));
            Assert.Contains(results, r => r.Outcome.Detail == "connection refused");
        }
        LabLeftovers.AssertNone(id, processes);
    }
}
