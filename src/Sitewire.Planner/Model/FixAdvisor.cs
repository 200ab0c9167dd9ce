namespace Sitewire.Planner.Model;

/// <summary>Turns a breakage into the change that repairs it, in the host's own rule syntax.</summary>
internal static class FixAdvisor
{
    /// <summary>The masquerade rule in both syntaxes, the host's own first.</summary>
    public static string MasqueradeCommands(Host host, string interfaceName)
    {
        var nft = $"nft add rule ip nat POSTROUTING oifname \"{interfaceName}\" masquerade";
        var iptables = $"iptables -t nat -A POSTROUTING -o {interfaceName} -j MASQUERADE";
        return host.RuleSyntax == RuleSyntax.Iptables ? $"{iptables} / {nft}" : $"{nft} / {iptables}";
    }

    public static string EnableForwarding(Host host) =>
        $"enable net.ipv4.ip_forward on {host.Name} (sysctl -w net.ipv4.ip_forward=1, and persist it in /etc/sysctl.d/)";

    /// <summary>
    /// A packet to <paramref name="destination"/> had no way on at <paramref name="host"/>. On a reply whose request
    /// left the tunnel into a LAN un-translated, the site node's masquerade is the fix (the seed's section 3);
    /// otherwise the host needs a route towards the node that leads to the destination.
    /// </summary>
    public static string NoWayOn(Host host, uint destination, PathTrace? request, Network network)
    {
        if (request is not null && TunnelExit(request, network) is { } exit)
        {
            var (node, lanInterface) = exit;
            return $"add masquerade on {node.Name}:{lanInterface.Name} ({MasqueradeCommands(node, lanInterface.Name)}), "
                + $"or route {Ipv4.Format(destination)} via {Ipv4.Format(lanInterface.Address)} on {host.Name}";
        }
        return Gateway(host, destination, network) is { } gateway
            ? $"add a route on {host.Name}: {Subnet(destination, network)} via {Ipv4.Format(gateway.Address)} ({gateway})"
            : $"add a route on {host.Name} for {Ipv4.Format(destination)}, or include it in the AllowedIPs of a peer that leads to it";
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
    private static HostInterface? Gateway(Host host, uint destination, Network network)
    {
        foreach (var local in host.Interfaces.Where(i => i.Segment is not null && i.Segment != network.Internet))
        {
            foreach (var candidate in network.Hosts)
            {
                if (candidate == host || candidate.WireGuard is not { } wireGuard || candidate.Routes.Lookup(destination)?.Interface != wireGuard)
                {
                    continue;
                }
                var neighbour = candidate.Interfaces.FirstOrDefault(i => i.Segment is not null && i.Segment == local.Segment);
                if (neighbour is not null)
                {
                    return neighbour;
                }
            }
        }
        return null;
    }

    private static string Subnet(uint destination, Network network)
    {
        var owner = network.FindByAddress(destination);
        var subnet = owner?.InterfaceWithAddress(destination)?.Subnet;
        return (subnet ?? Prefix.Host(destination)).ToString();
    }
}
