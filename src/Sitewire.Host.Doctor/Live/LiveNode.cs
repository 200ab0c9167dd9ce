using System.Globalization;
using Sitewire.Host.Doctor;
using Sitewire.Host.Linux;
using Sitewire.Netfilter;
using Sitewire.Planner.Model;
using ModelHost = Sitewire.Planner.Model.Host;

namespace Sitewire.Host.Live;

/// <summary>
/// Puts a node's snapshot in place of what the plan said of it, in the model verify walks: forwarding (the sysctls), the routing
/// table (main, and wg-quick's own table under a full tunnel), each WireGuard interface's listen port and peers with their
/// AllowedIPs and endpoints, MSS clamping, and its netfilter (<see cref="LiveNetfilter"/>; what of firewalld the model does not judge is named). The node's links and addresses stay
/// as the topology lays them out (the layout places LAN hosts and segments, which no node snapshot holds); so do prefix maps.
/// </summary>
internal static class LiveNode
{
    /// <summary>
    /// Applies the snapshot; returns what of it could not be placed in the model and was left out: a route through an interface
    /// the layout does not have, and any value that is not what it should be (a snapshot is a file: it may have been edited).
    /// </summary>
    public static IReadOnlyList<string> Apply(Network network, ModelHost host, NodeSnapshot snapshot, IReadOnlyDictionary<string, string> nodeByKey)
    {
        var unplaced = new List<string>();
        host.IpForward = snapshot.Sysctl(IpFamily.V4.ForwardingSysctlPath) == "1";
        host.Ipv6Forward = snapshot.Sysctl(IpFamily.V6.ForwardingSysctlPath) == "1";
        host.ClampsMss = snapshot.Ruleset.Rules.Any(rule => rule.Verdict == NetfilterEvaluator.Clamp);
        host.Netfilter = new LiveNetfilter(host.Name, snapshot.Ruleset, snapshot.Firewalld);
        unplaced.AddRange(snapshot.Firewalld is { } firewalld ? LiveFirewalld.NotModelled(firewalld) : []);
        foreach (var wireGuard in host.Interfaces.OfType<WireGuardInterface>())
        {
            ApplyPeers(wireGuard, snapshot, nodeByKey, unplaced);
        }
        unplaced.AddRange(snapshot.PolicyRules.Where(rule => !PolicyRules.IsStandard(rule))
            .Select(rule => $"the {rule.Family.Name} policy routing rule `{rule.Rule}` (routes are judged by the main table and wg-quick's own rules only)"));
        host.Routes.Clear();
        foreach (var route in LiveRoutes(snapshot))
        {
            if (Place(network, host, route) is { } reason)
            {
                unplaced.Add(reason);
            }
        }
        foreach (var wireGuard in host.Interfaces.OfType<WireGuardInterface>())
        {
            foreach (var address in wireGuard.Addresses)
            {
                host.Routes.Add(new Route(address.Subnet, wireGuard, null, RouteOrigin.Connected));
            }
        }
        return unplaced;
    }

    /// <summary>
    /// The live interface's peers in place of the planned ones (none when the interface is gone or down: its engine stopped);
    /// a peer is named by the node whose snapshot carries its key. `wg show` cannot tell a configured endpoint from one learned
    /// from the peer's packets, so a peer keeps its live endpoint only where the plan configures one: a relay's learned endpoint
    /// of a node behind NAT is no endpoint to dial. Likewise a listen port counts only where the plan fixes one.
    /// </summary>
    private static void ApplyPeers(WireGuardInterface wireGuard, NodeSnapshot snapshot, IReadOnlyDictionary<string, string> nodeByKey, List<string> unplaced)
    {
        var configuredEndpoint = wireGuard.Peers.Where(p => p.Endpoint is not null).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        wireGuard.RemovePeers();
        var live = snapshot.WireGuard.FirstOrDefault(w => w.Name == wireGuard.Name);
        if (live is null || snapshot.Link(wireGuard.Name) is { Up: false })
        {
            return;
        }
        if (wireGuard.ListenPort is not null)
        {
            if (wireGuard.ListenPort == wireGuard.DialedPort)
            {
                wireGuard.DialedPort = live.ListenPort;
            }
            wireGuard.ListenPort = live.ListenPort;
        }
        foreach (var peer in live.Peers)
        {
            var name = nodeByKey.TryGetValue(peer.PublicKey, out var node) ? node : $"unknown peer {Abbreviated(peer.PublicKey)}";
            var endpoint = configuredEndpoint.Contains(name) ? peer.Endpoint : null;
            var allowed = new List<Prefix>();
            foreach (var text in peer.AllowedIps)
            {
                if (Prefix.TryParse(text, out var prefix))
                {
                    allowed.Add(prefix);
                }
                else
                {
                    unplaced.Add($"{wireGuard.Name} peer {name}: allowed IP '{text}' is not a prefix");
                }
            }
            wireGuard.AddPeer(name, peer.PublicKey, allowed, endpoint, peer.PersistentKeepalive ?? 0);
        }
    }

    /// <summary>
    /// The routes the kernel picks from, in the order that lets the first route for a prefix win as policy routing would: main's
    /// routes other than the default, then the tables wg-quick adds for a full tunnel (its fwmark's number: `not fwmark T lookup T`,
    /// after `lookup main suppress_prefixlength 0`), then main's default.
    /// </summary>
    private static IEnumerable<RouteState> LiveRoutes(NodeSnapshot snapshot)
    {
        var unicast = snapshot.Routes.Where(route => route.Type == "unicast").ToList();
        var fwmarkTables = snapshot.WireGuard
            .Select(w => w.Fwmark.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(w.Fwmark[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var mark) ? mark.ToString(CultureInfo.InvariantCulture) : null)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        return [
            .. unicast.Where(r => r.Table == "main" && r.Destination != "default"),
            .. unicast.Where(r => fwmarkTables.Contains(r.Table)),
            .. unicast.Where(r => r.Table == "main" && r.Destination == "default"),
        ];
    }

    /// <summary>Adds one live route to the model's table; null when placed, else why not.</summary>
    private static string? Place(Network network, ModelHost host, RouteState route)
    {
        if (route.Device is not { } device || host.Interface(device) is not { } outgoing)
        {
            return $"route {route.Destination} dev {route.Device ?? "(none)"}: the layout has no such interface on {host.Name}";
        }
        Prefix prefix;
        if (route.Destination == "default")
        {
            prefix = route.Family == IpFamily.V4 ? Prefix.AnyV4 : Prefix.AnyV6;
        }
        else if (!Prefix.TryParse(route.Destination, out prefix))
        {
            return $"route '{route.Destination}' dev {device}: the destination is not a prefix";
        }
        Address? gateway = null;
        if (route.Gateway is { } via)
        {
            if (!Address.TryParse(via, out var address))
            {
                return $"route {route.Destination} via '{via}': the gateway is not an address";
            }
            gateway = address;
        }
        var origin = outgoing is WireGuardInterface ? RouteOrigin.WgQuick
            : outgoing.Addresses.Any(a => a.Subnet == prefix) ? RouteOrigin.Connected
            : prefix.Length == 0 && outgoing.Segment == network.Internet ? RouteOrigin.Uplink
            : RouteOrigin.Static;
        host.Routes.Add(new Route(prefix, outgoing, gateway, origin));
        return null;
    }

    /// <summary>A key's first characters, to name a peer no node holds (the whole text when it is shorter, as in an edited file).</summary>
    private static string Abbreviated(string key) => key.Length > 8 ? key[..8] + "…" : key;
}
