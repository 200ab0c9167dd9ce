using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Model;

public sealed partial class ModelBuilder
{
    /// <summary>A node's MTU facts: its uplink's MTU (<c>uplink_mtu</c>), the plan's MSS clamp, and whether it drops the ICMP errors path MTU discovery needs (<c>drops_icmp</c>).</summary>
    private static void AddMtuFacts(Host host, NodePlan nodePlan, HostInterface? uplink)
    {
        if (uplink is not null)
        {
            uplink.Mtu = nodePlan.Node.PathMtu;
        }
        host.ClampsMss = nodePlan.Rules.Clamp is not null;
        host.DropsIcmpErrors = nodePlan.Node.DropsIcmp;
    }
}
