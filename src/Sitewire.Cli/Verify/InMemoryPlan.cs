using Sitewire.Config.Diagnostics;
using Sitewire.Config.Topology;
using Sitewire.Planner.Plan;
using Sitewire.Planner.Verify;

namespace Sitewire.Cli.Verify;

/// <summary>Loads a topology and plans it in memory (throwaway keys, nothing written), for verify, trace and doctor.</summary>
internal static class InMemoryPlan
{
    /// <summary>The plan; an unusable topology throws <see cref="DiagnosticsException"/> with the loader's or planner's diagnostics.</summary>
    public static NetworkPlan Load(string path)
    {
        var loaded = TopologyLoader.Load(path);
        if (!loaded.Succeeded)
        {
            throw new DiagnosticsException(loaded.Diagnostics);
        }
        return NetworkPlanner.Plan(loaded.Topology, new PlanOptions(), VerifyKeys.For(loaded.Topology));
    }
}
