using Sitewire.Config.Topology;
using Sitewire.Config.WgQuick;
using Sitewire.Planner.Keys;

namespace Sitewire.Planner.Plan;

/// <summary>
/// Topology + keys → <see cref="NetworkPlan"/>. Flow per node: peer links (AllowedIPs) from
/// <see cref="PeerLinks"/>, structured rules from <see cref="NodeRulesPlanner"/>, hooks rendered
/// for the node's OS, then the wg-quick config that carries them, with the node's hook lines kept verbatim
/// (<see cref="NodeOverrides"/>) after the planned ones; a client device whose app runs no hook lines gets none. Pure: writes nothing.
/// </summary>
public static class NetworkPlanner
{
    public static NetworkPlan Plan(Topology topology, PlanOptions options, PlanKeys keys)
    {
        var links = PeerLinks.Compute(topology);
        var carriesIpv6 = NodeRulesPlanner.CarriesIpv6(topology);
        var nodes = topology.Nodes.Select(node => PlanNode(topology, node, links[node.Name], carriesIpv6, options, keys)).ToList();
        return new NetworkPlan(topology, options, nodes);
    }

    /// <summary>Where the node's own key lives on the node with <c>--keys node-local</c>.</summary>
    public static string NodeLocalKeyPath(string tunnel) => $"/etc/wireguard/{tunnel}.key";

    private static NodePlan PlanNode(Topology topology, Node node, IReadOnlyList<PeerLink> links, bool carriesIpv6, PlanOptions options, PlanKeys keys)
    {
        var network = topology.Network;
        var tunnel = network.InterfaceName;
        int? listenPort = node.Endpoint is null ? null : network.ListenPort;
        var rules = NodeRulesPlanner.Plan(topology, node, links, listenPort, carriesIpv6);
        var backend = NodeRulesPlanner.BackendFor(node.Os);
        var hooks = !node.Os.RunsHooks() ? new RenderedHooks([], [])
            : backend == RuleBackend.Iptables
            ? IptablesRenderer.Render(rules, tunnel, carriesIpv6)
            : NftablesRenderer.Render(rules, tunnel, carriesIpv6);
        string? keyPath = node.KeyModeUnder(options.Keys) == KeyMode.NodeLocal && node.Os.RunsHooks() ? NodeLocalKeyPath(tunnel) : null;
        List<string> postUp = keyPath is null ? [.. hooks.PostUp, .. node.Kept.PostUp] : [$"wg set %i private-key {keyPath}", .. hooks.PostUp, .. node.Kept.PostUp];
        var addresses = new List<InterfaceAddress> { new(node.OverlayAddress, network.Overlay.PrefixLength) };
        if (node.OverlayAddressV6 is { } v6 && network.OverlayV6 is { } overlayV6)
        {
            addresses.Add(new InterfaceAddress(v6, overlayV6.PrefixLength));
        }
        var face = WgQuickInterface.Empty with
        {
            Addresses = addresses,
            PrivateKey = keys.PrivateKey(node.Name),
            ListenPort = listenPort,
            Mtu = network.Mtu,
            Dns = [.. node.DnsServers.Select(server => server.ToString())],
            PostUp = postUp,
            PostDown = [.. hooks.PostDown, .. node.Kept.PostDown],
        };
        var keepalive = node.KeepaliveSeconds(network);
        var peers = links.Select(link => new WgQuickPeer(
            keys.PublicKey(link.Peer.Name),
            keys.PresharedKey(node.Name, link.Peer.Name),
            link.AllowedIps,
            link.Peer.Endpoint?.ToString(),
            link.Peer.Endpoint is not null && keepalive > 0 ? keepalive : null,
            link.Peer.Name)).ToList();
        return new NodePlan(node, keys.PublicKey(node.Name), new WgQuickConfig(face, peers), rules, backend, hooks, keyPath)
        {
            Failover = FailoverAgentPlanner.Plan(topology, node, links, keys),
        };
    }
}
