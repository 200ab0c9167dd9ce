using Sitewire.Config.Topology;
using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Model;

public sealed partial class ModelBuilder
{
    /// <summary>The node's addresses on its LAN (at most one per family) as model addresses.</summary>
    internal static IReadOnlyList<InterfaceAddress> NodeLanAddresses(LanSettings lan) =>
        [.. lan.InterfaceAddresses.Select(assigned => new InterfaceAddress(Address.From(assigned.Address), assigned.PrefixLength))];

    /// <summary>The node's LAN interface on its site's on-link segment, with routes to every LAN subnet (via the LAN router where declared).</summary>
    private HostInterface? LanInterface(Host host, Node node)
    {
        if (node.Lan is not { } lan || NodeLanAddresses(lan) is not [var first, ..] addresses)
        {
            return null;
        }
        var lanInterface = host.AddInterface(lan.Interface, first.Address, first.PrefixLength, _network.Segment(LanSegmentName(node.Name)));
        foreach (var assigned in addresses.Skip(1))
        {
            lanInterface.AddAddress(assigned.Address, assigned.PrefixLength);
        }
        foreach (var subnet in lan.Subnets)
        {
            host.AddRoute(Prefix.From(subnet.Prefix), lan.Interface, subnet.Via is { } via ? Address.From(via) : null);
        }
        return lanInterface;
    }

    /// <summary>
    /// The site's LAN routers and hosts, laid out as the lab does: one router per LAN-side address (a subnet's `via`,
    /// or a host's `router` on the on-link LAN), with an interface into each subnet it serves. Only routers of
    /// `router-with-route` hosts route the overlay and the other sites' LANs (of the router's family) back to the
    /// node; routers have no other routes, so what they do not know is dropped there.
    /// </summary>
    private void AddSite(NodePlan nodePlan)
    {
        var node = nodePlan.Node;
        var site = new SiteLayout(node, _network);
        var hosts = _plan.Topology.HostsAt(node.Name).ToList();
        var routers = new Dictionary<Address, Host>();
        Host RouterFor(Address lanSide)
        {
            if (!routers.TryGetValue(lanSide, out var router))
            {
                router = _network.AddHost(routers.Count == 0 ? $"{node.Name}/router" : $"{node.Name}/router{routers.Count + 1}", HostRole.Router);
                router.IpForward = true;
                router.Ipv6Forward = true;
                router.AddInterface("lan0", lanSide, site.LanLength(lanSide), site.Lan);
                routers.Add(lanSide, router);
            }
            return router;
        }
        var viaRouters = new List<(Prefix Prefix, Host Router)>();
        foreach (var (prefix, segment, via) in site.RoutedSubnets)
        {
            var router = RouterFor(via);
            var declared = hosts.Select(h => h.Router).OfType<System.Net.IPAddress>().Select(Address.From).Where(prefix.Contains).Cast<Address?>().FirstOrDefault();
            router.AddInterface($"lan{router.Interfaces.Count}", declared ?? Address.From(OverlayAddressAllocator.LastUsable(prefix.ToIPNetwork())), prefix.Length, segment);
            viaRouters.Add((prefix, router));
        }
        foreach (var lanHost in hosts)
        {
            var address = Address.From(lanHost.Address);
            Address? routerAddress = lanHost.Router is { } declared ? Address.From(declared) : null;
            AddLanHost(lanHost, routerAddress, site);
            Host? routesBack = null;
            if (lanHost.Gateway != GatewayKind.Node && routerAddress is { } onLink && site.Placement(onLink).Segment == site.Lan)
            {
                routesBack = RouterFor(onLink);
            }
            else if (viaRouters.Find(v => v.Prefix.Contains(address)) is { Router: { } viaRouter })
            {
                routesBack = viaRouter;
            }
            if (routesBack is not null && lanHost.Gateway == GatewayKind.RouterWithRoute)
            {
                var lanSide = routesBack.Interfaces[0].Addresses[0].Address;
                if (site.NodeLanAddress(lanSide) is { } nodeAddress)
                {
                    foreach (var prefix in RemotePrefixes(node).Where(p => p.IsV4 == lanSide.IsV4))
                    {
                        routesBack.AddRoute(prefix, "lan0", nodeAddress);
                    }
                }
            }
        }
    }

    /// <summary>What a router "with route" sends to the node: the overlays and every other site's LAN prefixes.</summary>
    private IEnumerable<Prefix> RemotePrefixes(Node node) =>
        PeerLinks.OverlayPrefixes(_plan.Topology.Network)
            .Concat(_plan.Topology.Nodes.Where(n => n != node).SelectMany(n => n.LanPrefixes))
            .Select(Prefix.From);

    /// <summary>The host with each of its addresses, and a default route per family via its gateway of that family.</summary>
    private void AddLanHost(LanHost lanHost, Address? routerAddress, SiteLayout site)
    {
        var host = _network.AddHost(lanHost.Name, HostRole.LanHost);
        HostInterface? eth0 = null;
        foreach (var address in lanHost.Addresses.Select(Address.From))
        {
            var (segment, length) = site.Placement(address);
            eth0 = eth0 is null ? host.AddInterface("eth0", address, length, segment) : eth0.AddAddress(address, length);
            var gateway = lanHost.Gateway == GatewayKind.Node ? site.NodeLanAddress(address) : routerAddress;
            if (gateway is { } gatewayAddress && gatewayAddress.IsV4 == address.IsV4)
            {
                host.AddRoute(Prefix.Default(gatewayAddress), "eth0", gatewayAddress);
            }
        }
        foreach (var service in lanHost.Services)
        {
            host.Services.Add((ModelProtocol(service.Protocol), (ushort)service.Port));
        }
    }

    internal static Protocol ModelProtocol(TransportProtocol protocol) => protocol == TransportProtocol.Udp ? Protocol.Udp : Protocol.Tcp;

    internal static string LanSegmentName(string site) => $"{site}/lan";
}
