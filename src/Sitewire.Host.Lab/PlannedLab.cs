using Sitewire.Config.Topology;
using Sitewire.Planner.Layout;
using Sitewire.Planner.Plan;
using Sitewire.Planner.Verify;

namespace Sitewire.Host.Lab;

/// <summary>
/// A topology planned and verified in memory (throwaway keys), laid out once (<see cref="NetworkLayout"/>) and built
/// as a lab from that layout, the one verify's model is built from: the nodes run the planner's own wg-quick configs,
/// and each flow carries the verifier's prediction.
/// A node's declared <c>public_key</c> belongs to a private key that stays on the real node, so the lab gives every
/// node a throwaway key pair of its own; <see cref="ThrowawayKeyNodes"/> names the nodes whose declared key it replaced.
/// </summary>
public sealed record PlannedLab(Topology Topology, NetworkPlan Plan, NetworkLayout Layout, VerifyReport Verification, LabBlueprint Blueprint, IReadOnlyList<string> ThrowawayKeyNodes)
{
    public const string EmbeddedSeedName = "seed.yaml (embedded)";

    /// <summary>Loads the topology file, or the embedded seed scenario when <paramref name="path"/> is null.</summary>
    public static PlannedLab Load(string? path) =>
        From(path is null ? InMemoryPlan.LoadTopologyText(EmbeddedSeed(), EmbeddedSeedName) : InMemoryPlan.LoadTopology(path));

    public static PlannedLab From(Topology declared)
    {
        var topology = declared with { Nodes = [.. declared.Nodes.Select(node => node with { PublicKey = null })] };
        var plan = InMemoryPlan.Of(topology);
        var layout = NetworkLayoutBuilder.Build(plan);
        var report = Verifier.Verify(plan, layout);
        var blueprint = TopologyBlueprint.Create(plan, layout, Predictor(report.Flows)) with { NodeMtus = LabPathMtu.For(topology), DockerNodes = LabDocker.For(topology) };
        blueprint = blueprint with { Failover = Failover(plan, layout, report, blueprint) };
        return new PlannedLab(topology, plan, layout, report, blueprint, [.. declared.Nodes.Where(node => node.PublicKey is not null).Select(node => node.Name)]);
    }

    /// <summary>The lab's flows with another report's predictions (verify --live on the lab's snapshots), to run against what they predict.</summary>
    public IReadOnlyList<LabFlow> FlowsPredictedBy(VerifyReport report) => TopologyBlueprint.Create(Plan, Layout, Predictor(report.Flows)).Flows;

    public static string EmbeddedSeed()
    {
        using var stream = typeof(PlannedLab).Assembly.GetManifestResourceStream("Sitewire.Host.Lab.seed.yaml")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static Func<Flow, LabPrediction> Predictor(IReadOnlyList<FlowResult> results)
    {
        var predictions = results.ToDictionary(f => f.Flow);
        return flow => Predict(predictions[flow]);
    }

    /// <summary>The agents of the plan's site nodes and every flow as verify predicts it with each relay down; null without failover.</summary>
    private static LabFailover? Failover(NetworkPlan plan, NetworkLayout layout, VerifyReport report, LabBlueprint blueprint)
    {
        if (!plan.Topology.HasFailover)
        {
            return null;
        }
        var withRelayDown = report.FailureStates.ToDictionary(
            state => state.DownRelay,
            state => (IReadOnlyList<LabFlow>)TopologyBlueprint.Create(plan, layout, Predictor(state.Flows)).Flows,
            StringComparer.Ordinal);
        return new LabFailover(
            [.. plan.Nodes.Where(node => node.Failover is not null).Select(node => new LabFailoverAgent(node.Name, node.Failover!))],
            [.. plan.Topology.HubRelays.Select(relay => relay.Name)],
            withRelayDown,
            LabFailover.MeasuredTraffic(plan.Topology, blueprint, withRelayDown.Values));
    }

    private static LabPrediction Predict(FlowResult result) =>
        result.Passes
            ? new LabPrediction(true, "holds both ways", ProbeMtu: result.Mtu?.ProbeSize, EchoBlocked: result.Mtu?.EchoBlocked ?? false)
            : result.Mtu?.Stalled is { } stalled
                ? new LabPrediction(false, $"stalls at {stalled.Bottleneck}: {stalled.Explanation}", ProbeMtu: result.Mtu.ProbeSize, EchoBlocked: result.Mtu.EchoBlocked)
            : result.Trace is { RefusedByHost: true }
                ? new LabPrediction(false, $"refused by {result.BrokenAt}: {result.Trace.Breakage?.Reason}", Refused: true)
                : new LabPrediction(false, result.Trace is null ? $"no prediction, outside verify's model: {result.Problem}" : $"stopped at {result.BrokenAt} ({result.Trace.BrokenDirection}): {result.Trace.Breakage?.Reason}");
}
