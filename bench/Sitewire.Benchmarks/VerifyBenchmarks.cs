using BenchmarkDotNet.Attributes;
using Sitewire.Config.Topology;
using Sitewire.Planner.Plan;
using Sitewire.Planner.Verify;

namespace Sitewire.Benchmarks;

/// <summary>
/// `sitewire verify` at scale, planning excluded (the plan is built once in setup): a 1,000-node full mesh (about a
/// million peer entries, one flow per site) and a 200-site hub with a flow between every ordered pair of hosts.
/// Run: dotnet run -c Release --project bench/Sitewire.Benchmarks -- --filter '*VerifyBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class VerifyBenchmarks
{
    private NetworkPlan _mesh = null!;
    private NetworkPlan _hub = null!;

    [GlobalSetup]
    public void Setup()
    {
        _mesh = Plan(SyntheticTopologies.Mesh(1000), "mesh1000.yaml");
        _hub = Plan(SyntheticTopologies.HubAllPairs(200), "hub200.yaml");
    }

    [Benchmark]
    public VerifyReport Mesh1000Nodes() => Verifier.Verify(_mesh);

    [Benchmark]
    public VerifyReport Hub200SitesAllPairs() => Verifier.Verify(_hub);

    private static NetworkPlan Plan(string yaml, string name)
    {
        var topology = TopologyLoader.LoadText(yaml, name).Topology ?? throw new InvalidOperationException($"{name} does not load");
        return NetworkPlanner.Plan(topology, new PlanOptions(), VerifyKeys.For(topology));
    }
}
