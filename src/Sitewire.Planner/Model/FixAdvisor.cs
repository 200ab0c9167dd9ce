using Sitewire.Netfilter;
using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Model;

/// <summary>Turns a breakage into the change that repairs it, in the host's own rule syntax.</summary>
internal static class FixAdvisor
{
    /// <summary>The masquerade for the family of <paramref name="source"/> out of the interface (<see cref="MasqueradeFixes"/>): firewalld's where it runs, then both syntaxes, the host's own first.</summary>
    public static string MasqueradeCommands(Host host, string interfaceName, Address source) =>
        string.Join(" / ", MasqueradeFixes.For(source.IsV4 ? IpFamily.V4 : IpFamily.V6, [], interfaceName, host.Firewalld?.ZoneOf(interfaceName).Name,
            nftFirst: host.RuleSyntax != RuleSyntax.Iptables));

    public static string ForwardingSysctl(Address destination) => destination.IsV4 ? "net.ipv4.ip_forward" : "net.ipv6.conf.all.forwarding";

    public static string EnableForwarding(Host host, Address destination) =>
        $"enable {ForwardingSysctl(destination)} on {host.Name} (sysctl -w {ForwardingSysctl(destination)}=1, and persist it in /etc/sysctl.d/)";

    /// <summary>
    /// A packet to <paramref name="destination"/> had no way on at <paramref name="host"/>. On a reply whose request
    /// left the tunnel into a LAN un-translated, the site node's masquerade is the fix (the seed's section 3);
    /// otherwise the host needs a route towards the node that leads to the destination.
    /// </summary>
    public static string NoWayOn(Host host, Address destination, PathTrace? request, Network network)
    {
        if (request is not null && TunnelExit(request, network) is { } exit)
        {
            var (node, lanInterface) = exit;
            var via = lanInterface.AddressFor(destination) is { } nodeAddress ? $" via {nodeAddress}" : "";
            return $"add masquerade on {node.Name}:{lanInterface.Name} ({MasqueradeCommands(node, lanInterface.Name, destination)}), "
                + $"or route {destination}{via} on {host.Name}";
        }
        return Gateway(host, destination, network) is { } gateway && gateway.AddressFor(destination) is { } gatewayAddress
            ? $"add a route on {host.Name}: {Subnet(destination, network)} via {gatewayAddress} ({gateway})"
            : $"add a route on {host.Name} for {destination}, or include it in the AllowedIPs of a peer that leads to it";
    }

    /// <summary>The last hop where the request came out of a WireGuard interface into a LAN without being masqueraded there.</summary>
    private static (Host Node, HostInterface LanInterface)? TunnelExit(PathTrace request, Network network)
    {
        for (var i = request.Hops.Count - 1; i >= 0; i--)
        {
            var hop = request.Hops[i];
            if (network.Find(hop.Host) is not { } host || hop.InInterface is null || hop.OutInterface is null)
            {
                continue;
            }
            if (host.Interface(hop.InInterface) is WireGuardInterface && host.Interface(hop.OutInterface) is { } outInterface and not WireGuardInterface)
            {
                return host.Owns(hop.Packet.Source) ? null : (host, outInterface);
            }
        }
        return null;
    }

    /// <summary>A node interface on one of the host's private segments whose node can reach the destination through its tunnel.</summary>
    private static HostInterface? Gateway(Host host, Address destination, Network network)
    {
        foreach (var local in host.Interfaces.Where(i => i.Segment is not null && i.Segment != network.Internet))
        {
            foreach (var candidate in network.Hosts)
            {
                if (candidate == host || candidate.WireGuard is not { } wireGuard || candidate.Routes.Lookup(destination)?.Interface != wireGuard)
                {
                    continue;
                }
                var neighbour = candidate.Interfaces.FirstOrDefault(i => i.Segment is not null && i.Segment == local.Segment && i.AddressFor(destination) is not null);
                if (neighbour is not null)
                {
                    return neighbour;
                }
            }
        }
        return null;
    }

    private static string Subnet(Address destination, Network network)
    {
        var owner = network.FindByAddress(destination)?.InterfaceWithAddress(destination);
        var subnet = owner?.Addresses.First(a => a.Address == destination).Subnet;
        return (subnet ?? Prefix.Host(destination)).ToString();
    }
}
