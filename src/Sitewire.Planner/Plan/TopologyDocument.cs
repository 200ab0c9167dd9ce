using System.Text;
using Sitewire.Config.Topology;

namespace Sitewire.Planner.Plan;

/// <summary><c>OUT/topology.md</c>: a Mermaid diagram of nodes, links and LAN subnets, and the address tables.</summary>
public static class TopologyDocument
{
    public static string Render(NetworkPlan plan)
    {
        var topology = plan.Topology;
        var ids = topology.Nodes.Select((node, index) => (node.Name, Id: $"n{index}")).ToDictionary(entry => entry.Name, entry => entry.Id, StringComparer.Ordinal);
        var text = new StringBuilder();
        text.Append("# Topology\n\n");
        text.Append($"Shape: {topology.Network.Shape.ToString().ToLowerInvariant()}, overlay {topology.Network.Overlay}");
        if (topology.Network.OverlayV6 is { } v6)
        {
            text.Append($" and {v6}");
        }
        text.Append($", interface `{plan.InterfaceName}`, UDP port {topology.Network.ListenPort}, MTU {topology.Network.Mtu}.\n\n");
        text.Append("```mermaid\nflowchart LR\n");
        foreach (var node in topology.Nodes)
        {
            var endpoint = node.Endpoint is null ? "" : $"<br/>{node.Endpoint}";
            text.Append($"  {ids[node.Name]}[\"{node.Name} ({node.Role.ToString().ToLowerInvariant()})<br/>{node.OverlayAddress}{endpoint}\"]\n");
            if (node.Lan is { } lan)
            {
                text.Append($"  {ids[node.Name]}_lan[(\"{lan.Interface}: {LanText(lan)}\")]\n");
                text.Append($"  {ids[node.Name]} --- {ids[node.Name]}_lan\n");
            }
        }
        foreach (var (nodeA, nodeB) in PeerLinks.Pairs(topology))
        {
            text.Append($"  {ids[nodeA]} <-. wg .-> {ids[nodeB]}\n");
        }
        text.Append("```\n\n## Nodes\n\n");
        text.Append("| Node | Role | OS | Overlay address | Endpoint | LAN interface | LAN subnets | NAT | Public key |\n");
        text.Append("|---|---|---|---|---|---|---|---|---|\n");
        foreach (var node in plan.Nodes)
        {
            var n = node.Node;
            var overlay = n.OverlayAddressV6 is null ? n.OverlayAddress.ToString() : $"{n.OverlayAddress}, {n.OverlayAddressV6}";
            text.Append($"| {n.Name} | {Lower(n.Role)} | {Lower(n.Os)} | {overlay}{(n.OverlayAddressAssigned ? " (assigned)" : "")} | {n.Endpoint?.ToString() ?? "none"}{(n.BehindNat ? ", behind NAT" : "")} | {n.Lan?.Interface ?? ""} | {(n.Lan is { } lan ? LanText(lan) : "")} | {Lower(n.Nat)} | `{node.PublicKey.ToBase64()}` |\n");
        }
        if (topology.Hosts.Count > 0)
        {
            text.Append("\n## LAN hosts\n\n| Host | Site | Address | Gateway | Services |\n|---|---|---|---|---|\n");
            foreach (var host in topology.Hosts)
            {
                text.Append($"| {host.Name} | {host.Site} | {(topology.FindNode(host.Site)?.Lan is { } lan ? AddressesText(host, lan) : string.Join(", ", host.Addresses))} | {GatewayText(host)} | {string.Join(", ", host.Services)} |\n");
            }
        }
        if (topology.Flows.Count > 0)
        {
            text.Append("\n## Flows\n\n| From | To | Expect |\n|---|---|---|\n");
            foreach (var flow in topology.Flows)
            {
                text.Append($"| {flow.From} | {flow.To} | {Lower(flow.Expect)} |\n");
            }
        }
        return text.ToString();
    }

    /// <summary>A LAN's subnets, a mapped one with the prefix the other sites know it by: <c>192.168.1.0/24 (mapped as 10.201.1.0/24)</c>.</summary>
    internal static string LanText(LanSettings lan) =>
        string.Join(", ", lan.Subnets.Select(subnet => subnet.MappedAs is { } mapped ? $"{subnet.Prefix} (mapped as {mapped})" : subnet.Prefix.ToString()));

    /// <summary>A host's addresses, a mapped one with the address the other sites reach it at.</summary>
    internal static string AddressesText(LanHost host, LanSettings lan) =>
        string.Join(", ", host.Addresses.Select(address => lan.SeenFromOtherSites(address) is { } seen && !seen.Equals(address) ? $"{address} ({seen} from other sites)" : address.ToString()));

    internal static string GatewayText(LanHost host) => host.Gateway switch
    {
        GatewayKind.Node => "the site node",
        GatewayKind.RouterWithRoute => $"LAN router{(host.Router is null ? "" : $" {host.Router}")} with a route to the site node",
        GatewayKind.RouteOnly => $"its own{(host.Router is null ? "" : $" ({host.Router})")}, with static routes to the remote prefixes via the site node",
        _ => $"LAN router{(host.Router is null ? "" : $" {host.Router}")} without a route to the tunnel",
    };

    private static string Lower<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();
}
