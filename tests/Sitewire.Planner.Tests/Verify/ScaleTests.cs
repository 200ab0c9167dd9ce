using Sitewire.Config.Topology;
using Sitewire.Planner.Verify;
using Xunit.Abstractions;

namespace Sitewire.Planner.Tests.Verify;

/// <summary>
/// Scale guards that a loaded machine cannot flake: verify's work (bytes allocated on its own thread, which is
/// deterministic for one input) must grow with the size of what it proves, not faster. A 1,000-node mesh holds
/// n² peer entries and a 200-site hub n² flows, so doubling n may at most quadruple the work (with slack for fixed
/// costs); an O(n³) slip doubles that again and fails. The time budget itself (5.3 s for the 1,000-node mesh on 2
/// cores) is measured by bench/Sitewire.Benchmarks VerifyBenchmarks, not here.
/// </summary>
public class ScaleTests
{
    private const double QuadraticGrowthLimit = 5.5;

    private readonly ITestOutputHelper _output;

    public ScaleTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public void Verify_of_a_mesh_grows_with_its_peer_entries_up_to_1000_nodes()
    {
        var half = VerifyAllocations(SyntheticTopologies.Mesh(500), "mesh500.yaml", flows: null);
        var full = VerifyAllocations(SyntheticTopologies.Mesh(1000), "mesh1000.yaml", flows: null);

        AssertQuadratic("1000-node mesh", half, full);
    }

    [Fact]
    public void Verify_of_a_hub_grows_with_its_flows_up_to_200_sites_all_pairs()
    {
        var half = VerifyAllocations(SyntheticTopologies.HubAllPairs(100), "hub100.yaml", flows: 100 * 99);
        var full = VerifyAllocations(SyntheticTopologies.HubAllPairs(200), "hub200.yaml", flows: 200 * 199);

        AssertQuadratic("200-site hub", half, full);
    }

    private long VerifyAllocations(string yaml, string name, int? flows)
    {
        var plan = TopologyFixtures.Plan(TopologyLoader.LoadText(yaml, name).Topology!);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var report = Verifier.Verify(plan);

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        _output.WriteLine($"verify {name}: {allocated / 1_000_000} MB allocated, {plan.Nodes.Sum(n => n.Config.Peers.Count)} peer entries, {report.Flows.Count} flows");
        if (flows is { } expected)
        {
            Assert.Equal(expected, report.Flows.Count);
        }
        Assert.True(report.Passed, string.Join("; ", report.Findings.Take(3)) + string.Join("; ", report.Flows.Where(f => !f.Met).Take(3).Select(f => f.Problem)));
        return allocated;
    }

    private static void AssertQuadratic(string what, long half, long full)
    {
        var growth = (double)full / half;
        Assert.True(growth < QuadraticGrowthLimit, $"verify of the {what} did {growth:F1}x the work of half its size (at most {QuadraticGrowthLimit} for n² growth)");
    }
}
