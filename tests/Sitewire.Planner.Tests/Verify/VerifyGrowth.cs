using Sitewire.Config.Topology;
using Sitewire.Planner.Verify;
using Xunit.Abstractions;

namespace Sitewire.Planner.Tests.Verify;

/// <summary>
/// Scale guards that a loaded machine cannot flake: verify's work (bytes allocated on its own thread, which is
/// deterministic for one input) must grow with the size of what it proves, not faster. A mesh holds n² peer entries and
/// a hub with all pairs n² flows, so doubling n may at most quadruple the work (with slack for fixed costs); an O(n³)
/// slip doubles that again and fails. The time budget itself (5.3 s for the 1,000-node mesh on 2 cores) is measured by
/// bench/Sitewire.Benchmarks VerifyBenchmarks, not here. The mesh and the hub are separate test classes so that the two
/// heaviest unit tests run side by side.
/// </summary>
internal static class VerifyGrowth
{
    private const double QuadraticGrowthLimit = 5.5;

    /// <summary>The bytes verify allocates on the synthetic topology, after checking that every flow (and the flow count, when given) is as expected.</summary>
    public static long Allocations(ITestOutputHelper output, string yaml, string name, int? flows)
    {
        var plan = TopologyFixtures.Plan(TopologyLoader.LoadText(yaml, name).Topology!);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var report = Verifier.Verify(plan);

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"verify {name}: {allocated / 1_000_000} MB allocated, {plan.Nodes.Sum(n => n.Config.Peers.Count)} peer entries, {report.Flows.Count} flows");
        if (flows is { } expected)
        {
            Assert.Equal(expected, report.Flows.Count);
        }
        Assert.True(report.Passed, string.Join("; ", report.Findings.Take(3)) + string.Join("; ", report.Flows.Where(f => !f.Met).Take(3).Select(f => f.Problem)));
        return allocated;
    }

    public static void AssertQuadratic(string what, long half, long full)
    {
        var growth = (double)full / half;
        Assert.True(growth < QuadraticGrowthLimit, $"verify of the {what} did {growth:F1}x the work of half its size (at most {QuadraticGrowthLimit} for n² growth)");
    }
}
