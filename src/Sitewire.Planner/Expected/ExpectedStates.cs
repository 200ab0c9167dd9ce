using Sitewire.Config.Topology;
using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Expected;

/// <summary>Derives a node's <see cref="ExpectedState"/> from its plan: the one derivation the plan's file and `doctor --topology --node` share.</summary>
public static class ExpectedStates
{
    /// <summary>
    /// The node's expected state. <paramref name="knownKeys"/>: the plan's keys are the deployed ones (`plan`), else only
    /// the topology's declared public keys are (an in-memory plan makes throwaway keys for the others).
    /// </summary>
    public static ExpectedState For(NetworkPlan plan, NodePlan nodePlan, bool knownKeys)
    {
        var node = nodePlan.Node;
        var config = nodePlan.Config;
        var firewall = nodePlan.Rules.Firewall;
        return new ExpectedState(
            ExpectedStateFile.Version,
            node.Name,
            plan.InterfaceName,
            nodePlan.Backend,
            [.. config.Interface.Addresses.Select(address => address.ToString())],
            config.Interface.ListenPort,
            config.Interface.Mtu,
            config.Interface.Table,
            [.. config.Peers.Select(peer => new ExpectedPeer(
                peer.Name ?? "peer",
                knownKeys ? peer.PublicKey.ToBase64() : peer.Name is null ? null : plan.Topology.FindNode(peer.Name)?.PublicKey?.ToBase64(),
                peer.AllowedIps, peer.Endpoint, peer.PersistentKeepalive))],
            node.Lan is { } lan ? new ExpectedLan(lan.Interface, [.. node.LanPrefixes], node.Nat == NatMode.Masquerade) : null,
            node.Role != NodeRole.Client,
            node.BehindNat,
            [.. nodePlan.Rules.Nat.Select(nat => new ExpectedMasquerade(nat.OutInterface, nat.SourcePrefix))],
            [.. nodePlan.Rules.Maps.Select(map => new ExpectedPrefixMap(map.Real, map.Mapped))],
            nodePlan.Rules.Sysctls,
            node.MssClamp,
            node.Docker,
            firewall.DockerUser,
            firewall.FlowPolicy is { } policy
                ? [.. policy.Rules.Select(rule => new ExpectedFlowRule(rule.Expect, rule.Sources, rule.Destinations, rule.Protocol, rule.Port,
                    $"{Path.GetFileName(rule.Location.DisplayFile)}:{rule.Location.Line}:{rule.Location.Column}"))]
                : null,
            nodePlan.Failover?.Carried ?? []);
    }
}
