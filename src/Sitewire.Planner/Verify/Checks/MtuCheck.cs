using System.Net;
using System.Net.Sockets;
using Sitewire.Config.Topology;
using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Verify.Checks;

/// <summary>
/// The tunnel MTU plus WireGuard's outer headers must fit the path between every linked pair of nodes: the smaller
/// of the two nodes' uplink MTUs (1500, ethernet, unless a node declares `uplink_mtu`); 60 bytes over IPv4 (20 IP +
/// 8 UDP + 32 WireGuard), 80 over IPv6. Above the budget the outer packets of full-size tunnel packets are fragmented
/// (by the sender when its own uplink is the narrow one, else after path MTU discovery on the outer path): they arrive, at
/// a cost, and are lost where fragments or ICMP are filtered. A warning, one per node, for its tightest link.
/// </summary>
internal static class MtuCheck
{
    private const int Ipv4Overhead = Model.WireGuardOverhead.Ipv4;
    private const int Ipv6Overhead = Model.WireGuardOverhead.Ipv6;

    public static IEnumerable<Finding> Run(NetworkPlan plan)
    {
        var nodes = plan.Topology.Nodes.ToDictionary(node => node.Name, StringComparer.Ordinal);
        var notIpv4 = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var nodePlan in plan.Nodes)
        {
            var mtu = nodePlan.Config.Interface.Mtu ?? NetworkSettings.DefaultMtu;
            (Node? Peer, int Path) tightest = (null, nodePlan.Node.PathMtu), tightestIpv6 = tightest;
            var mayUseIpv6 = false;
            foreach (var peer in nodePlan.Config.Peers)
            {
                var other = peer.Name is { } name ? nodes.GetValueOrDefault(name) : null;
                var path = Math.Min(nodePlan.Node.PathMtu, other?.PathMtu ?? Node.DefaultUplinkMtu);
                if (path < tightest.Path)
                {
                    tightest = (other, path);
                }
                if (peer.Endpoint is { } endpoint && NotIpv4(endpoint, notIpv4))
                {
                    mayUseIpv6 = true;
                    if (path < tightestIpv6.Path)
                    {
                        tightestIpv6 = (other, path);
                    }
                }
            }
            if (mtu + Ipv4Overhead > tightest.Path)
            {
                yield return Over(plan, nodePlan, mtu, Ipv4Overhead, tightest, "IPv4");
            }
            else if (mayUseIpv6 && mtu + Ipv6Overhead > tightestIpv6.Path)
            {
                yield return Over(plan, nodePlan, mtu, Ipv6Overhead, tightestIpv6, "IPv6 (an endpoint is a host name or IPv6)");
            }
        }
    }

    private static Finding Over(NetworkPlan plan, NodePlan nodePlan, int mtu, int overhead, (Node? Peer, int Path) link, string outer)
    {
        var node = nodePlan.Node;
        var limitedBy = node.UplinkMtu == link.Path ? node : link.Peer is { UplinkMtu: { } peerMtu } peer && peerMtu == link.Path ? peer : null;
        var path = limitedBy is null ? $"the path MTU {link.Path}" : $"the path MTU {link.Path} ({limitedBy.Name}'s uplink_mtu)";
        var to = link.Peer is null ? "" : $" towards {link.Peer.Name}";
        return new(Severity.Warning, "mtu-budget", nodePlan.Name,
            limitedBy is null ? "network.mtu" : FieldPaths.Node(plan.Topology, limitedBy, "uplink_mtu"),
            limitedBy?.Location ?? plan.Topology.Location,
            $"{nodePlan.Name}'s tunnel MTU {mtu} + {overhead} bytes of WireGuard over {outer} = {mtu + overhead} exceeds {path}{to}: full-size tunnel packets travel as fragments (slower, and lost where fragments or ICMP are filtered)",
            $"set network.mtu to {link.Path - overhead} or less");
    }

    private static bool NotIpv4(string endpoint, Dictionary<string, bool> known)
    {
        if (!known.TryGetValue(endpoint, out var result))
        {
            result = !IsIpv4Literal(endpoint);
            known.Add(endpoint, result);
        }
        return result;
    }

    private static bool IsIpv4Literal(string endpoint)
    {
        var host = endpoint.StartsWith('[') ? endpoint : endpoint.Split(':')[0];
        return IPAddress.TryParse(host, out var address) && address.AddressFamily == AddressFamily.InterNetwork;
    }
}
