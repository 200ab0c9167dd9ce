using Sitewire.Config.Topology;

namespace Sitewire.Planner.Verify.Checks;

/// <summary>YAML paths of topology fields, in the loader's notation (<c>nodes[2].lan.subnets[0]</c>).</summary>
internal static class FieldPaths
{
    public static string Node(Topology topology, Node node, string field) =>
        $"nodes[{IndexOf(topology.Nodes, node)}].{field}";

    public static string Host(Topology topology, LanHost host, string field) =>
        $"hosts[{IndexOf(topology.Hosts, host)}].{field}";

    public static string Subnet(Topology topology, Node node, int subnet) => Node(topology, node, $"lan.subnets[{subnet}]");

    private static int IndexOf<T>(IReadOnlyList<T> items, T item) where T : class
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (ReferenceEquals(items[i], item))
            {
                return i;
            }
        }
        return -1;
    }
}
