using System.Net;
using Sitewire.Config.Topology;

namespace Sitewire.Planner.Plan;

/// <summary>
/// Who peers with whom, and AllowedIPs on each side. A node's LAN prefixes are, to every other node, the routed ones
/// (<see cref="Node.RoutedLanPrefixes"/>: a mapped subnet by its mapped prefix).
/// Hub: every node peers with the relay only. The relay's entry for a node holds the node's
/// overlay host address and its LAN prefixes; a node's entry for the relay holds the overlay
/// prefix and every other node's LAN prefixes. With several relays (docs/failover.md) every node peers with each
/// and each relay's entries are the relay's above; a node's entry for the preferred relay carries the prefixes,
/// its entry for a standby relay only that relay's own host addresses (the failover agent moves the rest).
/// Relays do not peer each other.
/// Mesh: every pair peers directly when at least one side has a public endpoint; the entry for
/// the other side holds its overlay host address and LAN prefixes. A pair with no endpoint on
/// either side is carried by the relay: each side adds the other's prefixes to its relay entry
/// (the relay already routes each side's prefixes to it, and forwards).
/// A full-tunnel client (<c>route_all</c>) routes everything to its exit: its entry for the exit is <c>0.0.0.0/0</c>, and
/// <c>::/0</c> when it has an IPv6 overlay address; the exit's entry for it stays its host prefixes.
/// Last, each node's declared AllowedIPs changes (<see cref="AllowedIpsChange"/>) are applied to its entry for that peer.
/// </summary>
public static class PeerLinks
{
    public static IReadOnlyDictionary<string, IReadOnlyList<PeerLink>> Compute(Topology topology)
    {
        var links = topology.Network.Shape == NetworkShape.Hub ? Hub(topology) : Mesh(topology);
        foreach (var node in topology.Nodes.Where(node => node.Lan is not null))
        {
            var ownLan = node.LanPrefixes.ToHashSet();
            links[node.Name] = [.. links[node.Name].Select(link => WithoutOwnLan(ownLan, link))];
        }
        foreach (var node in topology.Nodes.Where(node => node.RouteAll))
        {
            links[node.Name] = [.. links[node.Name].Select(link => link.Peer.Name == node.Exit ? link with { AllowedIps = FullTunnel(node) } : link)];
        }
        foreach (var node in topology.Nodes.Where(node => node.Kept.AllowedIps.Count > 0))
        {
            links[node.Name] = [.. links[node.Name].Select(link => Changed(node.Kept.AllowedIps, link))];
        }
        return links;
    }

    /// <summary>Everything, of each family the client has an overlay address of.</summary>
    private static List<IPNetwork> FullTunnel(Node client) => client.OverlayAddressV6 is null
        ? [new IPNetwork(IPAddress.Any, 0)]
        : [new IPNetwork(IPAddress.Any, 0), new IPNetwork(IPAddress.IPv6Any, 0)];

    /// <summary>The entry with the node's declared changes for that peer: missing prefixes left out, extra ones appended.</summary>
    private static PeerLink Changed(IReadOnlyList<AllowedIpsChange> changes, PeerLink link)
    {
        var forPeer = changes.Where(change => change.Peer == link.Peer.Name).ToList();
        if (forPeer.Count == 0)
        {
            return link;
        }
        var missing = forPeer.SelectMany(change => change.Missing).ToHashSet();
        var kept = link.AllowedIps.Where(prefix => !missing.Contains(prefix)).ToList();
        return link with { AllowedIps = [.. kept, .. forPeer.SelectMany(change => change.Extra).Where(prefix => !kept.Contains(prefix)).Distinct()] };
    }

    /// <summary>
    /// A prefix equal to one of the node's own LAN prefixes is never routed into its tunnel: the node's LAN holds it, and
    /// `wg-quick up` would fail adding the route (RTNETLINK answers: File exists). Two sites with the same LAN stay
    /// unreachable from each other, as the lan-overlap finding says, but both come up.
    /// </summary>
    private static PeerLink WithoutOwnLan(HashSet<IPNetwork> ownLan, PeerLink link) =>
        link.AllowedIps.Any(ownLan.Contains) ? link with { AllowedIps = [.. link.AllowedIps.Where(prefix => !ownLan.Contains(prefix))] } : link;

    /// <summary>Every direct WireGuard link, each once, as (earlier node in the file, later node).</summary>
    public static IEnumerable<(string NodeA, string NodeB)> Pairs(Topology topology)
    {
        var links = Compute(topology);
        var order = topology.Nodes.Select((node, index) => (node.Name, index)).ToDictionary(entry => entry.Name, entry => entry.index, StringComparer.Ordinal);
        foreach (var node in topology.Nodes)
        {
            foreach (var link in links[node.Name])
            {
                if (order[node.Name] < order[link.Peer.Name])
                {
                    yield return (node.Name, link.Peer.Name);
                }
            }
        }
    }

    /// <summary>The node's own overlay host prefixes (/32, and /128 when the overlay has IPv6).</summary>
    public static IEnumerable<IPNetwork> HostPrefixes(Node node)
    {
        yield return new IPNetwork(node.OverlayAddress, 32);
        if (node.OverlayAddressV6 is { } v6)
        {
            yield return new IPNetwork(v6, 128);
        }
    }

    public static IEnumerable<IPNetwork> OverlayPrefixes(NetworkSettings network)
    {
        yield return network.Overlay;
        if (network.OverlayV6 is { } v6)
        {
            yield return v6;
        }
    }

    private static Dictionary<string, IReadOnlyList<PeerLink>> Hub(Topology topology)
    {
        var relays = topology.HubRelays;
        var preferred = relays[0];
        var result = new Dictionary<string, IReadOnlyList<PeerLink>>(StringComparer.Ordinal);
        var others = topology.Nodes.Where(node => !relays.Contains(node)).ToList();
        foreach (var relay in relays)
        {
            result[relay.Name] = others.Select(node => new PeerLink(node, [.. HostPrefixes(node), .. node.RoutedLanPrefixes])).ToList();
        }
        foreach (var node in others)
        {
            IReadOnlyList<IPNetwork> allowed =
            [
                .. OverlayPrefixes(topology.Network),
                .. topology.Nodes.Where(other => other.Name != node.Name).SelectMany(other => other.RoutedLanPrefixes),
            ];
            result[node.Name] = [new PeerLink(preferred, allowed), .. relays.Skip(1).Select(standby => new PeerLink(standby, [.. HostPrefixes(standby)]))];
        }
        return result;
    }

    private static Dictionary<string, IReadOnlyList<PeerLink>> Mesh(Topology topology)
    {
        var nodes = topology.Nodes;
        var relayIndex = topology.Relay is { } relay ? IndexOf(nodes, relay.Name) : -1;
        var prefixes = nodes.Select(node => HostPrefixes(node).Concat(node.RoutedLanPrefixes).ToArray()).ToArray();
        var result = new Dictionary<string, IReadOnlyList<PeerLink>>(nodes.Count, StringComparer.Ordinal);
        for (var index = 0; index < nodes.Count; index++)
        {
            var node = nodes[index];
            var carried = new List<IPNetwork>();
            if (relayIndex >= 0 && index != relayIndex)
            {
                for (var other = 0; other < nodes.Count; other++)
                {
                    if (other != index && !IsDirect(node, nodes[other]))
                    {
                        carried.AddRange(prefixes[other]);
                    }
                }
            }
            var links = new List<PeerLink>();
            for (var other = 0; other < nodes.Count; other++)
            {
                if (other == index || !IsDirect(node, nodes[other]))
                {
                    continue;
                }
                IReadOnlyList<IPNetwork> allowed = other == relayIndex && carried.Count > 0 ? [.. prefixes[other], .. carried] : prefixes[other];
                links.Add(new PeerLink(nodes[other], allowed));
            }
            result[node.Name] = links;
        }
        return result;
    }

    private static int IndexOf(IReadOnlyList<Node> nodes, string name)
    {
        for (var index = 0; index < nodes.Count; index++)
        {
            if (nodes[index].Name == name)
            {
                return index;
            }
        }
        return -1;
    }

    private static bool IsDirect(Node node, Node other) => node.Endpoint is not null || other.Endpoint is not null;
}
