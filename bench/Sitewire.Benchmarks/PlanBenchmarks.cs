using System.Text;
using BenchmarkDotNet.Attributes;
using Sitewire.Config.Topology;
using Sitewire.Planner.Keys;
using Sitewire.Planner.Plan;

namespace Sitewire.Benchmarks;

/// <summary>
/// `sitewire plan` in memory (topology → every node's config and rendered rules) for a generated
/// 1,000-node mesh (half the nodes behind NAT, carried by the relay; about a million peer entries)
/// and a 200-site hub with all-pairs flows. Run: dotnet run -c Release --project bench/Sitewire.Benchmarks -- --filter '*Plan*'
/// </summary>
[MemoryDiagnoser]
public class PlanBenchmarks
{
    private Topology _mesh = null!;
    private Topology _hub = null!;
    private PlanKeys _meshKeys = null!;
    private PlanKeys _hubKeys = null!;

    [GlobalSetup]
    public void Setup()
    {
        _mesh = Load(Mesh(1000));
        _hub = Load(Hub(200));
        _meshKeys = KeyProvisioner.Provision(_mesh, new PlanOptions(), null);
        _hubKeys = KeyProvisioner.Provision(_hub, new PlanOptions(), null);
    }

    [Benchmark]
    public NetworkPlan Mesh1000() => NetworkPlanner.Plan(_mesh, new PlanOptions(), _meshKeys);

    [Benchmark]
    public NetworkPlan Hub200() => NetworkPlanner.Plan(_hub, new PlanOptions(), _hubKeys);

    [Benchmark]
    public Topology LoadMesh1000() => Load(Mesh(1000));

    private static Topology Load(string yaml) =>
        TopologyLoader.LoadText(yaml, "generated.yaml") is { Succeeded: true } result
            ? result.Topology
            : throw new InvalidOperationException("generated topology does not load");

    /// <summary>Node 0 is the relay; even nodes have endpoints, odd ones sit behind NAT; each has one LAN /24.</summary>
    public static string Mesh(int nodes)
    {
        var text = new StringBuilder("network:\n  overlay: 10.128.0.0/16\n  shape: mesh\n  hub: n0\nnodes:\n");
        for (var index = 0; index < nodes; index++)
        {
            text.Append($"  - name: n{index}\n");
            if (index == 0)
            {
                text.Append("    role: relay\n");
            }
            text.Append(index % 2 == 0 ? $"    endpoint: 198.51.{100 + (index / 250)}.{(index % 250) + 1}:51820\n" : "    behind_nat: true\n");
            text.Append($"    lan:\n      interface: eth1\n      subnets: [10.{index / 250}.{index % 250}.0/24]\n");
        }
        return text.ToString();
    }

    /// <summary>A relay and <paramref name="sites"/> NATed sites with one host each, and a flow from every host to every other.</summary>
    public static string Hub(int sites)
    {
        var text = new StringBuilder("network:\n  overlay: 10.128.0.0/16\n  shape: hub\nnodes:\n  - name: relay\n    role: relay\n    endpoint: 198.51.100.1:51820\n");
        for (var index = 0; index < sites; index++)
        {
            text.Append($"  - name: s{index}\n    os: {(index % 2 == 0 ? "ubuntu" : "rhel")}\n    behind_nat: true\n    lan:\n      interface: eth1\n      address: 10.{index / 250}.{index % 250}.1/24\n");
        }
        text.Append("hosts:\n");
        for (var index = 0; index < sites; index++)
        {
            text.Append($"  - name: h{index}\n    site: s{index}\n    address: 10.{index / 250}.{index % 250}.10\n    services: [80/tcp]\n");
        }
        text.Append("flows:\n");
        for (var from = 0; from < sites; from++)
        {
            for (var to = 0; to < sites; to++)
            {
                if (from != to)
                {
                    text.Append($"  - from: h{from}\n    to: h{to}:80/tcp\n");
                }
            }
        }
        return text.ToString();
    }
}
