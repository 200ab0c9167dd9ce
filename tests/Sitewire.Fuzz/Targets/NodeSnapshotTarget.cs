using Sitewire.Config.Diagnostics;
using Sitewire.Config.Topology;
using Sitewire.Host.Live;
using Sitewire.Planner.Model;
using Sitewire.Planner.Verify;

namespace Sitewire.Fuzz;

/// <summary>
/// A snapshot file as `verify --live` reads it: parsed, then put in place of the seed's home node and every flow of the seed
/// walked through it (routes, peers, the netfilter evaluator on whatever rules it holds). The documented error is
/// <see cref="DiagnosticsException"/> from the reader; past it, nothing may throw.
/// </summary>
internal static class NodeSnapshotTarget
{
    private static readonly Lazy<Topology> Seed = new(() =>
    {
        using var stream = typeof(NodeSnapshotTarget).Assembly.GetManifestResourceStream("Sitewire.Fuzz.seed.yaml")!;
        using var reader = new StreamReader(stream);
        return InMemoryPlan.LoadTopologyText(reader.ReadToEnd(), "seed.yaml");
    });

    public static void Run(byte[] input)
    {
        NodeSnapshotDocument document;
        try
        {
            document = NodeSnapshotFile.Parse(input, "fuzz.json");
        }
        catch (DiagnosticsException)
        {
            return;
        }
        var topology = Seed.Value;
        var network = ModelBuilder.Build(InMemoryPlan.Of(topology));
        _ = LiveNode.Apply(network, network.Find("home")!, document.State, new Dictionary<string, string>(StringComparer.Ordinal));
        var simulator = new FlowSimulator(network);
        foreach (var flow in topology.Flows)
        {
            _ = Verifier.Check(flow, simulator);
        }
    }
}
