using Sitewire.Config.Diagnostics;
using Sitewire.Config.Topology;
using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Verify;

/// <summary>
/// A topology loaded and planned in memory with throwaway keys (<see cref="VerifyKeys"/>), nothing written: what verify,
/// trace, doctor --topology, import and the lab work on. An unusable topology throws <see cref="DiagnosticsException"/>
/// with the loader's diagnostics.
/// </summary>
public static class InMemoryPlan
{
    public static NetworkPlan Load(string path) => Of(LoadTopology(path));

    public static Topology LoadTopology(string path) => Usable(TopologyLoader.Load(path));

    public static Topology LoadTopologyText(string text, string name) => Usable(TopologyLoader.LoadText(text, name));

    public static NetworkPlan Of(Topology topology) => NetworkPlanner.Plan(topology, new PlanOptions(), VerifyKeys.For(topology));

    private static Topology Usable(TopologyLoadResult loaded) => loaded.Succeeded ? loaded.Topology : throw new DiagnosticsException(loaded.Diagnostics);
}
