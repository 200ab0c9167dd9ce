using Sitewire.Config.Topology;

namespace Sitewire.Planner.Plan;

/// <summary>The plan of a whole topology: one <see cref="NodePlan"/> per node, in the file's order.</summary>
public sealed record NetworkPlan(Topology Topology, PlanOptions Options, IReadOnlyList<NodePlan> Nodes)
{
    public string InterfaceName => Topology.Network.InterfaceName;

    public NodePlan NodeNamed(string name) =>
        Nodes.FirstOrDefault(node => node.Name == name) ?? throw new KeyNotFoundException($"no node named '{name}' in the plan");
}
