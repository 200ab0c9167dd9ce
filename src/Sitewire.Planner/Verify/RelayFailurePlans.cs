using Sitewire.Config.Topology;
using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Verify;

/// <summary>
/// The plan as it stands while one relay of a multi-relay hub is down (docs/failover.md): the dead relay's WireGuard
/// answers no peer, and each node with a failover agent gives the carried prefixes to the first other relay in order
/// of preference, as its agent does. One variant per relay; none for a topology without failover.
/// </summary>
public static class RelayFailurePlans
{
    public static IEnumerable<(Node Down, NetworkPlan Plan)> Of(NetworkPlan plan)
    {
        var relays = plan.Topology.HubRelays;
        if (!plan.Topology.HasFailover)
        {
            yield break;
        }
        for (var down = 0; down < relays.Count; down++)
        {
            var active = down == 0 ? 1 : 0;
            var dead = relays[down].Name;
            yield return (relays[down], plan with { Nodes = [.. plan.Nodes.Select(node => node.Name == dead ? Dead(node) : Switched(node, active))] });
        }
    }

    private static NodePlan Dead(NodePlan relay) => relay with { Config = relay.Config with { Peers = [] } };

    private static NodePlan Switched(NodePlan node, int active)
    {
        if (node.Failover is not { } failover)
        {
            return node;
        }
        var relayIndex = failover.Relays.Select((relay, index) => (relay.Name, index)).ToDictionary(entry => entry.Name, entry => entry.index, StringComparer.Ordinal);
        return node with
        {
            Config = node.Config with
            {
                Peers = [.. node.Config.Peers.Select(peer => peer.Name is { } name && relayIndex.TryGetValue(name, out var index) ? peer with { AllowedIps = failover.AllowedIpsOf(index, active) } : peer)],
            },
        };
    }
}
