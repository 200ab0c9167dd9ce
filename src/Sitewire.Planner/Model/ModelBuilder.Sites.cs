using Sitewire.Config.Topology;
using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Model;

public sealed partial class ModelBuilder
{
    /// <summary>The node's LAN interface on its site's on-link segment, with routes to every LAN subnet (via the LAN router where declared).</summary>
    private HostInterface? LanInterface(Host host, Node node)
    {
        if (node.Lan is not { Address: { } lanAddress, PrefixLength: { } length } lan || !Ipv4.TryFrom(lanAddress, out var address))
        {
            return null;
        }
        var lanInterface = host.AddInterface(lan.Interface, address, length, _network.Segment(LanSegmentName(node.Name)));
        foreach (var subnet in lan.Subnets)
        {
            if (!Prefix.TryFrom(subnet.Prefix, out var prefix))
            {
                continue;
            }
            uint? via = subnet.Via is { } gateway && Ipv4.TryFrom(gateway, out var viaAddress) ? viaAddress : null;
            host.AddRoute(prefix, lan.Interface, via);
        }
        return lanInterface;
    }

    /// <summary>
    /// The site's LAN routers and hosts, laid out as the lab does: one router per LAN-side address (a subnet's `via`,
    /// or a host's `router` on the on-link LAN), with an interface into each subnet it serves. Only routers of
    /// `router-with-route` hosts route the overlay and the other sites' LANs back to the node; routers have no other
    /// routes, so what they do not know is dropped there.
    /// </summary>
    private void AddSite(NodePlan nodePlan)
    {
        var node = nodePlan.Node;
        var site = new SiteLayout(node, _network);
        var hosts = _plan.Topology.HostsAt(node.Name).ToList();
        var routers = new Dictionary<uint, Host>();
        Host RouterFor(uint lanSide)
        {
            if (!routers.TryGetValue(lanSide, out var router))
            {
                router = _network.AddHost(routers.Count == 0 ? $"{node.Name}/router" : $"{node.Name}/router{routers.Count + 1}", HostRole.Router);
                router.IpForward = true;
                router.AddInterface("lan0", lanSide, site.LanLength, site.Lan);
                routers.Add(lanSide, router);
            }
            return router;
        }
        var viaRouters = new List<(Prefix Prefix, Host Router)>();
        foreach (var (prefix, segment, via) in site.RoutedSubnets)
        {
            var router = RouterFor(via);
            var declared = hosts.Select(h => h.Router).OfType<System.Net.IPAddress>()
                .Select(a => Ipv4.TryFrom(a, out var v4) ? (uint?)v4 : null).FirstOrDefault(a => a is { } v4 && prefix.Contains(v4));
            var lastUsable = prefix.Network + (uint)((1L << (32 - prefix.Length)) - 2);
            router.AddInterface($"lan{router.Interfaces.Count}", declared ?? lastUsable, prefix.Length, segment);
            viaRouters.Add((prefix, router));
        }
        foreach (var lanHost in hosts)
        {
            if (!Ipv4.TryFrom(lanHost.Address, out var address))
            {
                continue;
            }
            uint? routerAddress = lanHost.Router is { } declared && Ipv4.TryFrom(declared, out var parsed) ? parsed : null;
            AddLanHost(lanHost, address, lanHost.Gateway == GatewayKind.Node ? site.NodeLanAddress : routerAddress, site);
            Host? routesBack = null;
            if (lanHost.Gateway != GatewayKind.Node && routerAddress is { } onLink && site.Placement(onLink).Segment == site.Lan)
            {
                routesBack = RouterFor(onLink);
            }
            else if (viaRouters.Find(v => v.Prefix.Contains(address)) is { Router: { } viaRouter })
            {
                routesBack = viaRouter;
            }
            if (routesBack is not null && lanHost.Gateway == GatewayKind.RouterWithRoute && site.NodeLanAddress is { } nodeAddress)
            {
                foreach (var prefix in RemotePrefixes(node))
                {
                    routesBack.AddRoute(prefix, "lan0", nodeAddress);
                }
            }
        }
    }

    /// <summary>What a router "with route" sends to the node: the overlay and every other site's LAN prefixes.</summary>
    private IEnumerable<Prefix> RemotePrefixes(Node node)
    {
        var networks = _plan.Topology.Nodes.Where(n => n != node).SelectMany(n => n.LanPrefixes).Prepend(_plan.Topology.Network.Overlay);
        foreach (var network in networks)
        {
            if (Prefix.TryFrom(network, out var prefix))
            {
                yield return prefix;
            }
        }
    }

    private void AddLanHost(LanHost lanHost, uint address, uint? gateway, SiteLayout site)
    {
        var host = _network.AddHost(lanHost.Name, HostRole.LanHost);
        var (segment, length) = site.Placement(address);
        host.AddInterface("eth0", address, length, segment);
        if (gateway is { } gatewayAddress)
        {
            host.AddRoute(Prefix.Any, "eth0", gatewayAddress);
        }
        foreach (var service in lanHost.Services)
        {
            host.Services.Add((ModelProtocol(service.Protocol), (ushort)service.Port));
        }
    }

    internal static Protocol ModelProtocol(TransportProtocol protocol) => protocol == TransportProtocol.Udp ? Protocol.Udp : Protocol.Tcp;

    internal static string LanSegmentName(string site) => $"{site}/lan";
}
