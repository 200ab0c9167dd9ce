using System.Net;
using System.Net.Sockets;
using Sitewire.Config.Topology;
using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Layout;

public sealed partial class NetworkLayoutBuilder
{
    /// <summary>
    /// The node's way to the internet, on its <c>public_interface</c> (else eth0, or the first of wan0, eth1, wan1, ...
    /// that its LAN and tunnel do not use). On the internet, the interface holds the node's public address (its
    /// endpoint's, else one picked around the topology's addresses) and routes by default via the internet gateway.
    /// Behind NAT, it sits on a link of its own to the NAT router of its public address (several nodes behind one
    /// public address share the router, each forwarded its endpoint's port) and routes by default via the router.
    /// A one-armed node (<c>public_interface</c> = <c>lan.interface</c>, usual on a VPS) does all that on its LAN interface.
    /// </summary>
    private void AddUplink(NodePlan nodePlan, LayoutDraft host)
    {
        var node = nodePlan.Node;
        var lan = node.Lan is { } settings && settings.InterfaceAddresses.Any() ? settings.Interface : null;
        var oneArmed = lan is not null && node.PublicInterface == lan;
        var name = oneArmed ? lan! : node.PublicInterface ?? FreeUplinkName(lan);
        host.Uplink = name;
        IPAddress gateway;
        if (!node.BehindNat)
        {
            var addresses = PublicAddresses(node);
            AddOrExtend(host, name, oneArmed, () => InternetSegment, addresses.Select(HostAddress));
            _attachments.Add(new InternetAttachment(host.Name, name, host.SegmentOf(name), addresses));
            gateway = _gateway;
        }
        else
        {
            var router = NatRouterFor(node);
            var inside = _space.InsideLink();
            var routerSide = OverlayAddressAllocator.AddressAt(inside, 1);
            var nodeSide = OverlayAddressAllocator.AddressAt(inside, 2);
            AddOrExtend(host, name, oneArmed, () => AddSegment($"{node.Name}/uplink", SegmentKind.Link), [new LayoutAddress(nodeSide, inside.PrefixLength)]);
            router.AddInterface($"lan{router.InterfaceCount - 1}", host.SegmentOf(name), [new LayoutAddress(routerSide, inside.PrefixLength)]);
            if (node.Endpoint is { } endpoint)
            {
                router.Forwards.Add(new PortForward(endpoint.Port, nodeSide, nodePlan.Config.Interface.ListenPort ?? _plan.Topology.Network.ListenPort));
            }
            gateway = routerSide;
        }
        host.AddRoute(new LayoutRoute(DefaultRoute(AddressFamily.InterNetwork), gateway, name, OnLink: gateway.Equals(_gateway), Uplink: true));
        host.AddRoute(new LayoutRoute(DefaultRoute(AddressFamily.InterNetworkV6), null, name, Uplink: true));
    }

    /// <summary>A one-armed node's uplink addresses go onto its LAN interface; any other node's uplink is an interface of its own on <paramref name="segment"/>.</summary>
    private static void AddOrExtend(LayoutDraft host, string name, bool oneArmed, Func<string> segment, IEnumerable<LayoutAddress> addresses)
    {
        if (oneArmed)
        {
            host.AddAddresses(name, addresses);
        }
        else
        {
            host.AddInterface(name, segment(), addresses);
        }
    }

    /// <summary>The router in front of the node's public address: one per public address, masquerading out of wan0.</summary>
    private LayoutDraft NatRouterFor(Node node)
    {
        var addresses = PublicAddresses(node);
        if (_natRouters.TryGetValue(addresses[0], out var shared))
        {
            return shared;
        }
        var router = AddHost($"{node.Name}/nat", LayoutRole.NatRouter, forwarding: true);
        router.AddInterface("wan0", InternetSegment, addresses.Select(HostAddress));
        router.AddRoute(new LayoutRoute(DefaultRoute(AddressFamily.InterNetwork), _gateway, "wan0", OnLink: true, Uplink: true));
        router.Masquerade = ("wan0", addresses[0]);
        _attachments.Add(new InternetAttachment(router.Name, "wan0", InternetSegment, addresses));
        _natRouters.Add(addresses[0], router);
        return router;
    }

    /// <summary>
    /// The node's public addresses, IPv4 first: its endpoint's literal; for a name, the address the layout answers for it
    /// (one per name); else one picked around the topology's. An IPv6 literal comes beside a picked IPv4 address.
    /// </summary>
    private IReadOnlyList<IPAddress> PublicAddresses(Node node)
    {
        IPAddress? literal = node.Endpoint is { } endpoint && TopologyValues.TryParseLiteral(endpoint.Host, out var parsed) ? parsed : null;
        if (literal is { AddressFamily: AddressFamily.InterNetwork })
        {
            return [literal];
        }
        IPAddress v4;
        if (literal is null && node.Endpoint is { } named)
        {
            if (!_names.TryGetValue(named.Host, out var assigned))
            {
                assigned = _space.PublicAddress();
                _names.Add(named.Host, assigned);
            }
            v4 = assigned;
        }
        else
        {
            v4 = _space.PublicAddress();
        }
        return literal is null ? [v4] : [v4, literal];
    }

    private string FreeUplinkName(string? lan) =>
        Enumerable.Range(0, 16).SelectMany(n => new[] { $"eth{n}", $"wan{n}" }).First(name => name != lan && name != _plan.InterfaceName);

    private static LayoutAddress HostAddress(IPAddress address) =>
        new(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
}
