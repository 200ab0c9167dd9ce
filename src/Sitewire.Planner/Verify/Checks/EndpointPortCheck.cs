using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Verify.Checks;

/// <summary>
/// A node on the Internet whose endpoint names another port than the one it listens on: peers dial a port where
/// nothing answers. (Behind NAT, the endpoint is the router's forwarded port, which the router maps to the listen port.)
/// </summary>
internal static class EndpointPortCheck
{
    public static IEnumerable<Finding> Run(NetworkPlan plan)
    {
        foreach (var nodePlan in plan.Nodes)
        {
            var node = nodePlan.Node;
            if (node.Endpoint is not { } endpoint || nodePlan.Config.Interface.ListenPort is not { } listenPort || endpoint.Port == node.PortReaching(listenPort))
            {
                continue;
            }
            yield return new Finding(Severity.Error, "endpoint-port", node.Name, FieldPaths.Node(plan.Topology, node, "endpoint"), node.Location,
                $"{node.Name} listens on UDP {listenPort} (network.listen_port) but its endpoint {endpoint} makes every peer dial UDP {endpoint.Port}: no handshake reaches it",
                $"set the endpoint's port to {listenPort}, or network.listen_port to {endpoint.Port}; if a router in front of {node.Name} forwards UDP {endpoint.Port} to {listenPort}, say behind_nat: true");
        }
    }
}
