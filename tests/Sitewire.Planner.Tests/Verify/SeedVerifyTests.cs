using Sitewire.Planner.Verify;

namespace Sitewire.Planner.Tests.Verify;

public class SeedVerifyTests
{
    [Fact]
    public void Seed_example_passes_every_flow_both_ways()
    {
        var report = Verifier.Verify(TopologyFixtures.PlanFile(TopologyFixtures.Example("seed.yaml")));

        Assert.All(report.Flows, flow => Assert.True(flow.Met, $"{flow.Flow}: {flow.Problem}"));
        Assert.DoesNotContain(report.Findings, f => f.Severity == Severity.Error);
        Assert.True(report.Passed);
    }
}
