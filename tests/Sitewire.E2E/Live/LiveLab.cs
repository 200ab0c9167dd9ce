using Sitewire.E2E.Infrastructure;
using Sitewire.Host.Lab;
using Sitewire.Host.Live;
using Sitewire.Planner.Verify;

namespace Sitewire.E2E.Live;

/// <summary>
/// A kept lab measured against `verify --live`: every node's snapshot is taken inside its namespace with the built CLI
/// (`lab snapshot`'s way), verify proves the flows on them, and the lab then runs every flow against that prediction.
/// </summary>
internal sealed class LiveLab(PlannedLab planned, LabSession lab)
{
    /// <summary>Snapshots every node, proves the flows on them, then runs every flow in the lab against that prediction: all must agree.</summary>
    public VerifyReport Measured(bool expectBroken)
    {
        using var directory = new TemporaryDirectory();
        LabSnapshots.Collect(lab.State, RepositoryPaths.Sitewire, directory.Path);
        var report = LiveVerifier.Verify(planned.Topology, directory.Path, DateTimeOffset.UtcNow);
        var results = lab.RunFlows(planned.FlowsPredictedBy(report));
        var described = string.Join('\n', results.Select(r => $"{(r.Agrees ? "ok  " : "FAIL")} {r.Flow.Name}: verify --live {r.Flow.Prediction}, lab {r.Outcome.Detail}"))
            + "\n" + string.Join('\n', report.Findings);
        Assert.True(results.All(r => r.Agrees), described);
        Assert.True(expectBroken == report.Flows.Any(f => !f.Met), described);
        return report;
    }

    /// <summary>Injects the fault on the node, measures (some flow must break, unless <paramref name="breaksAFlow"/> is false), and reverts it, also when the measurement fails.</summary>
    public void WithFault(string node, string inject, string revert, bool breaksAFlow = true)
    {
        Run(node, inject);
        try
        {
            Measured(expectBroken: breaksAFlow);
        }
        finally
        {
            Run(node, revert);
        }
    }

    public string Run(string node, string command) => LabExec.Run(lab.State, node, ["sh", "-c", command], TimeSpan.FromSeconds(30)).EnsureSuccess().StandardOutput;
}
