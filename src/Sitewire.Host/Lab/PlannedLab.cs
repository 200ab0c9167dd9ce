using Sitewire.Config.Diagnostics;
using Sitewire.Config.Topology;
using Sitewire.Config.WgQuick;
using Sitewire.Planner.Plan;
using Sitewire.Planner.Verify;

namespace Sitewire.Host.Lab;

/// <summary>
/// A topology planned and verified in memory (throwaway keys), laid out as a lab: the nodes run the planner's
/// own wg-quick configs, and each flow carries the verifier's prediction.
/// </summary>
public sealed record PlannedLab(Topology Topology, NetworkPlan Plan, VerifyReport Verification, LabBlueprint Blueprint)
{
    public const string EmbeddedSeedName = "seed.yaml (embedded)";

    /// <summary>Loads the topology file, or the embedded seed scenario when <paramref name="path"/> is null.</summary>
    public static PlannedLab Load(string? path)
    {
        var loaded = path is null ? TopologyLoader.LoadText(EmbeddedSeed(), EmbeddedSeedName) : TopologyLoader.Load(path);
        if (!loaded.Succeeded)
        {
            throw new DiagnosticsException(loaded.Diagnostics);
        }
        return From(loaded.Topology);
    }

    public static PlannedLab From(Topology topology)
    {
        var plan = NetworkPlanner.Plan(topology, new PlanOptions(), VerifyKeys.For(topology));
        var report = Verifier.Verify(plan);
        var setups = plan.Nodes.ToDictionary(
            n => n.Name,
            n => new LabNodeSetup(plan.InterfaceName, WgQuickWriter.Write(n.Config), new Dictionary<string, string>(), StartingFirewall(n.Backend)));
        var predictions = report.Flows.ToDictionary(f => f.Flow);
        var blueprint = TopologyBlueprint.Create(topology, setups, flow => Predict(predictions[flow]));
        return new PlannedLab(topology, plan, report, blueprint);
    }

    public static string EmbeddedSeed()
    {
        using var stream = typeof(PlannedLab).Assembly.GetManifestResourceStream("Sitewire.Host.Lab.seed.yaml")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The baseline verify assumes for the node's OS family, where the lab can run it (no firewalld: see <see cref="LabStartingFirewall"/>).</summary>
    private static LabStartingFirewall StartingFirewall(RuleBackend backend) =>
        backend == RuleBackend.Iptables ? LabStartingFirewall.IptablesForwardDrop : LabStartingFirewall.Empty;

    private static LabPrediction Predict(FlowResult result) =>
        result.Passes
            ? new LabPrediction(true, "holds both ways")
            : new LabPrediction(false, result.Trace is null ? $"no prediction, outside verify's model: {result.Problem}" : $"stopped at {result.BrokenAt} ({result.Trace.BrokenDirection}): {result.Trace.Breakage?.Reason}");
}
