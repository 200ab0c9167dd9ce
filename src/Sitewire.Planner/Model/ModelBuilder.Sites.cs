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

    /// <summary>The site's LAN router (when used) and LAN hosts.</summary>
    private void AddSite(NodePlan nodePlan)
    {
        var node = nodePlan.Node;
        var site = new SiteLayout(node, _network, _plan.Topology.Network.Overlay);
        var hosts = _plan.Topology.HostsAt(node.Name).ToList();
        Host? router = null;
        foreach (var via in site.ViaAddresses)
        {
            router ??= AddRouter(node);
            site.AddRouterInterface(router, via);
        }
        foreach (var lanHost in hosts.Where(h => h.Gateway != GatewayKind.Node))
        {
            router ??= AddRouter(node);
            site.AddRouterInterface(router, site.RouterAddressFor(lanHost));
        }
        if (router is not null && hosts.Exists(h => h.Gateway == GatewayKind.RouterWithRoute))
        {
            AddRoutesBackToNode(router, nodePlan, site);
        }
        foreach (var lanHost in hosts)
        {
            AddLanHost(lanHost, site);
        }
    }

    private Host AddRouter(Node node)
    {
        var router = _network.AddHost(RouterName(node.Name), HostRole.Router);
        router.IpForward = true;
        router.AddInterface("wan", UplinkBase + ++_nextUplinkAddress, 24, _internet);
        router.AddRoute(Prefix.Any, "wan", null, RouteOrigin.Uplink);
        return router;
    }

    /// <summary>A router "with route" sends the overlay and everything the node's tunnel carries to the node's LAN address.</summary>
    private static void AddRoutesBackToNode(Host router, NodePlan nodePlan, SiteLayout site)
    {
        if (site.NodeLanAddress is not { } nodeAddress || router.Interfaces.FirstOrDefault(i => i.Segment == site.Lan) is not { } lanSide)
        {
            return;
        }
        foreach (var network in nodePlan.Config.Peers.SelectMany(p => p.AllowedIps).Append(site.Overlay))
        {
            if (Prefix.TryFrom(network, out var prefix))
            {
                router.AddRoute(prefix, lanSide.Name, nodeAddress);
            }
        }
    }

    private void AddLanHost(LanHost lanHost, SiteLayout site)
    {
        if (!Ipv4.TryFrom(lanHost.Address, out var address))
        {
            return;
        }
        var host = _network.AddHost(lanHost.Name, HostRole.LanHost);
        var (segment, length) = site.Placement(address);
        host.AddInterface("eth0", address, length, segment);
        var gateway = lanHost.Gateway == GatewayKind.Node ? site.NodeLanAddress : site.RouterAddressFor(lanHost);
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

    public static string RouterName(string site) => $"{site}/router";

    internal static string LanSegmentName(string site) => $"{site}/lan";
}
