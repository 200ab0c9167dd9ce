using System.Net;
using System.Net.Sockets;
using Sitewire.Config.Topology;
using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Layout;

public sealed partial class NetworkLayoutBuilder
{
    /// <summary>
    /// The site's LAN routers and hosts: one router per LAN-side address (a subnet's <c>via</c>, or a host's
    /// <c>router</c> on the on-link LAN), with an interface into each subnet it serves. Only routers of
    /// <c>router-with-route</c> hosts route the overlays and the other sites' LANs (of the router's family) back to the
    /// node, once per router; routers have no other routes, so what they do not know is dropped there. A LAN with no
    /// node address and nothing on it is not laid out.
    /// </summary>
    private void AddSite(Node node)
    {
        if (node.Lan is not { } lan)
        {
            return;
        }
        var hosts = _plan.Topology.HostsAt(node.Name).ToList();
        if (!lan.InterfaceAddresses.Any() && hosts.Count == 0 && !lan.Subnets.Any(s => s.Via is not null))
        {
            return;
        }
        var lanSegment = AddSegment(LanSegmentName(node.Name), SegmentKind.Lan);
        var routers = new Dictionary<IPAddress, LayoutDraft>();
        LayoutDraft RouterFor(IPAddress lanSide)
        {
            if (!routers.TryGetValue(lanSide, out var router))
            {
                router = AddHost(routers.Count == 0 ? $"{node.Name}/router" : $"{node.Name}/router{routers.Count + 1}", LayoutRole.LanRouter, forwarding: true);
                router.AddInterface("lan0", lanSegment, [new LayoutAddress(lanSide, lan.SegmentOf(lanSide)?.Prefix.PrefixLength ?? LanLength(node, lanSide.AddressFamily))]);
                routers.Add(lanSide, router);
            }
            return router;
        }
        var routed = new List<(IPNetwork Prefix, string Segment, LayoutDraft Router)>();
        foreach (var subnet in lan.Subnets.Where(s => s.Via is not null))
        {
            var router = RouterFor(subnet.Via!);
            var segment = AddSegment($"{node.Name}/lan{routed.Count + 1}", SegmentKind.Lan);
            var address = hosts.Select(h => h.Router).OfType<IPAddress>().FirstOrDefault(subnet.Prefix.Contains) ?? OverlayAddressAllocator.LastUsable(subnet.Prefix);
            router.AddInterface($"lan{router.InterfaceCount}", segment, [new LayoutAddress(address, subnet.Prefix.PrefixLength)]);
            routed.Add((subnet.Prefix, segment, router));
        }
        var routingBack = new HashSet<LayoutDraft>();
        foreach (var lanHost in hosts)
        {
            var behind = lan.SegmentOf(lanHost.Address) is { Via: not null } placed ? routed.First(r => r.Prefix == placed.Prefix) : ((IPNetwork Prefix, string Segment, LayoutDraft Router)?)null;
            AddLanHost(node, lanHost, behind?.Segment ?? lanSegment);
            var back = lanHost.Gateway != GatewayKind.Node && lanHost.Router is { } declared && lan.SegmentOf(declared) is null or { Via: null }
                ? RouterFor(declared)
                : behind?.Router;
            if (back is not null && lanHost.Gateway == GatewayKind.RouterWithRoute && routingBack.Add(back))
            {
                AddRoutesBack(node, back);
            }
        }
    }

    /// <summary>
    /// The host on its segment with each of its addresses, and a default route per family via its gateway of that family;
    /// a route-only host's default gateway is its own router (none without one), and it routes each remote prefix of its
    /// family via the node.
    /// </summary>
    private void AddLanHost(Node node, LanHost lanHost, string segment)
    {
        var lan = node.Lan!;
        var host = AddHost(lanHost.Name, LayoutRole.LanHost);
        host.AddInterface("eth0", segment, lanHost.Addresses.Select(a => new LayoutAddress(a, lan.SegmentOf(a)?.Prefix.PrefixLength ?? LanLength(node, a.AddressFamily))));
        foreach (var address in lanHost.Addresses)
        {
            var gateway = lanHost.Gateway == GatewayKind.Node ? NodeLanAddress(node, address.AddressFamily)?.Address : lanHost.Router;
            if (gateway is not null && gateway.AddressFamily == address.AddressFamily)
            {
                host.AddRoute(new LayoutRoute(DefaultRoute(address.AddressFamily), gateway, "eth0"));
            }
            if (lanHost.Gateway == GatewayKind.RouteOnly && NodeLanAddress(node, address.AddressFamily) is { } nodeAddress)
            {
                foreach (var prefix in RemotePrefixes(node, address.AddressFamily))
                {
                    host.AddRoute(new LayoutRoute(prefix, nodeAddress.Address, "eth0"));
                }
            }
        }
    }

    /// <summary>What the site's LAN reaches through the node: the overlays and every other site's LAN prefixes (as routed: mapped ones by their mapped prefix) of the family.</summary>
    private IEnumerable<IPNetwork> RemotePrefixes(Node node, AddressFamily family) =>
        PeerLinks.OverlayPrefixes(_plan.Topology.Network)
            .Concat(_plan.Topology.Nodes.Where(n => n != node).SelectMany(n => n.RoutedLanPrefixes))
            .Where(p => p.BaseAddress.AddressFamily == family);

    /// <summary>What a router "with route" sends to the node (on-link: the node's address may lie outside the router's subnet): the overlays and every other site's LAN prefixes (as routed: mapped ones by their mapped prefix) of the router's family.</summary>
    private void AddRoutesBack(Node node, LayoutDraft router)
    {
        var lanSide = router.Addresses("lan0").First().Address;
        if (NodeLanAddress(node, lanSide.AddressFamily) is not { } nodeAddress)
        {
            return;
        }
        foreach (var prefix in RemotePrefixes(node, lanSide.AddressFamily))
        {
            router.AddRoute(new LayoutRoute(prefix, nodeAddress.Address, "lan0", OnLink: true));
        }
    }

    /// <summary>The on-link prefix length of the family: the node's LAN address's, else 24 or 64.</summary>
    private static int LanLength(Node node, AddressFamily family) =>
        NodeLanAddress(node, family)?.Length ?? (family == AddressFamily.InterNetwork ? 24 : 64);
}
