using Sitewire.Config.Yaml;

namespace Sitewire.Config.Topology;

public static partial class TopologyLoader
{
    /// <summary>
    /// Features that each work but not yet together: the flow policy's rules name real LAN addresses, which a mapped LAN
    /// shows other sites translated; and on a Docker node the policy's allows would need Docker's DOCKER-USER too (on the
    /// RHEL family the policy's nftables accept does not get past Docker's FORWARD policy DROP); a full tunnel's egress has
    /// no flow rule to pass the policy by.
    /// </summary>
    private static void CheckCombinations(IReadOnlyList<NodeDraft> drafts, NetworkSettings network, YamlReadContext context)
    {
        if (network.Policy != FlowPolicy.Flows)
        {
            return;
        }
        foreach (var draft in drafts)
        {
            foreach (var mapping in draft.Mappings)
            {
                context.Error(mapping.Node, mapping.Path, "mapped_as does not work with network.policy: flows yet (the policy's rules would have to name the mapped addresses)",
                    "network.policy: open, or no mapped_as");
            }
            if (draft.Node.RouteAll && draft.Map.Get("route_all") is { } routeAll)
            {
                context.Error(routeAll, draft.Map.FieldPath("route_all"), "route_all does not work with network.policy: flows yet (the policy has no rule for the Internet beyond the exit)",
                    "network.policy: open, or no route_all");
            }
            if (draft.Node.Docker && draft.Map.Get("docker") is { } docker)
            {
                context.Error(docker, draft.Map.FieldPath("docker"), "docker: true does not work with network.policy: flows yet (the policy's allows would have to go into DOCKER-USER too)",
                    "network.policy: open, or no docker");
            }
        }
    }
}
