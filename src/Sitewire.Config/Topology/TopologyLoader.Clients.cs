using System.Net;
using Sitewire.Config.Yaml;
using Sitewire.Text;
using YamlDotNet.RepresentationModel;

namespace Sitewire.Config.Topology;

public static partial class TopologyLoader
{
    private sealed record ClientFields(IReadOnlyList<IPAddress>? Dns, bool RouteAll, string? Exit);

    /// <summary><c>dns:</c>, <c>route_all:</c> and <c>exit:</c>: a client's, each refused on another role at its line.</summary>
    private static ClientFields ReadClientFields(YamlMap map, NodeRole role)
    {
        foreach (var field in new[] { "dns", "route_all", "exit" })
        {
            if (role != NodeRole.Client && map.Get(field) is { } node)
            {
                map.Context.Error(node, map.FieldPath(field), $"{field} applies to a client, and this node has role {role.ToString().ToLowerInvariant()}", $"'role: client', or no '{field}'");
            }
        }
        List<IPAddress>? dns = null;
        foreach (var (item, path) in map.Sequence("dns"))
        {
            var address = item is YamlScalarNode { Value: { } text } scalar && YamlMap.CoreType(scalar) is null ? TopologyValues.ParseAddress(text, out _) : null;
            if (address is null)
            {
                map.Context.Error(item, path, $"'{YamlMap.Describe(item)}' is not an IP address", "a DNS server's IPv4 or IPv6 address, such as 10.10.0.53");
                continue;
            }
            (dns ??= []).Add(address);
        }
        var routeAll = map.Boolean("route_all") ?? false;
        var exit = map.String("exit");
        if (exit is not null && !routeAll)
        {
            map.Context.Error(map.Get("exit")!, map.FieldPath("exit"), "exit names where a full tunnel leaves for the Internet, and this client does not route all its traffic", "'route_all: true' beside it, or no 'exit'");
        }
        return role == NodeRole.Client ? new ClientFields(dns, routeAll, exit) : new ClientFields(null, false, null);
    }

    /// <summary>
    /// A phone, tablet or desktop (<see cref="OsFamilyTraits.IsClientDevice"/>) forwards nothing and, except a Linux desktop's
    /// wg-quick, runs no hook lines: every field that needs either is refused at its line (a <c>nat</c> without a LAN is
    /// refused for every node already).
    /// </summary>
    private static void CheckClientDevice(YamlMap map, NodeRole role, OsFamily os, bool hasLan, bool docker)
    {
        if (!os.IsClientDevice())
        {
            return;
        }
        var device = $"os {map.String("os")} is a client device, which forwards nothing";
        if (role != NodeRole.Client)
        {
            var stated = map.Get("role") is not null;
            map.Context.Error(map.Get(stated ? "role" : "os")!, map.FieldPath(stated ? "role" : "os"),
                $"{device}: it cannot be a {role.ToString().ToLowerInvariant()}{(stated ? "" : " (the role its other fields give it, with no 'role:')")}",
                "'role: client', or a server os (ubuntu, debian, rhel, rocky, alma, fedora)");
        }
        if (hasLan)
        {
            map.Context.Error(map.Get("lan")!, map.FieldPath("lan"), $"{device}: no LAN can sit behind it", "no 'lan:', or a server os for a site node");
        }
        if (docker)
        {
            map.Context.Error(map.Get("docker")!, map.FieldPath("docker"), $"{device}: Docker's forwarding rules are a server's", "no 'docker'");
        }
        var hooks = os.RunsHooks() ? [] : new[] { "drop", "post_up", "post_down" };
        foreach (var field in hooks.Where(field => map.Get(field) is not null))
        {
            map.Context.Error(map.Get(field)!, map.FieldPath(field), $"the WireGuard app on {map.String("os")} runs no PostUp/PostDown lines, so '{field}' would do nothing there", $"no '{field}', or 'os: linux' for a desktop with wg-quick");
        }
    }

    /// <summary>
    /// Each full-tunnel client's exit, resolved: the node <c>exit:</c> names, else the hub relay. It must be a server that
    /// forwards (a relay or site, not a client device), that the client peers with directly (in a hub the preferred hub
    /// relay; in a mesh a node with an endpoint), and that names its uplink (<c>public_interface</c>), which its
    /// masquerade leaves by. An error sits at <c>exit</c>, or at <c>route_all</c> when the exit is the default.
    /// </summary>
    private static List<Node> ResolveExits(IReadOnlyList<NodeDraft> drafts, List<Node> nodes, NetworkSettings network, YamlReadContext context)
    {
        var hub = network.HubRelay ?? nodes.FirstOrDefault(node => node.Role == NodeRole.Relay)?.Name;
        var resolved = new List<Node>(nodes.Count);
        foreach (var (draft, node) in drafts.Zip(nodes))
        {
            if (!node.RouteAll)
            {
                resolved.Add(node);
                continue;
            }
            var field = draft.Map.Get("exit") is null ? "route_all" : "exit";
            var position = draft.Map.Get(field)!;
            var path = draft.Map.FieldPath(field);
            var exitName = node.Exit ?? hub;
            var exit = exitName is null ? null : nodes.FirstOrDefault(candidate => candidate.Name == exitName);
            if (exit is null)
            {
                context.Error(position, path, exitName is null ? "no exit for the full tunnel: there is no hub relay to default to" : $"no node named '{exitName}'{DidYouMean.Hint(exitName, nodes.Select(n => n.Name))}", "'exit: NODE' naming a relay or site that forwards to the Internet");
            }
            else if (exit == node || exit.Role == NodeRole.Client || exit.Os.IsClientDevice())
            {
                context.Error(position, path, exit == node ? "a client cannot be its own exit" : $"'{exit.Name}' is a client, which forwards nothing", "'exit: NODE' naming a relay or site with a server os");
            }
            else if (network.Shape == NetworkShape.Hub ? exit.Name != hub : exit.Endpoint is null)
            {
                context.Error(position, path, network.Shape == NetworkShape.Hub
                        ? $"in a hub the client peers only with the hub relay '{hub}', so '{exit.Name}' cannot be its exit"
                        : $"'{exit.Name}' has no endpoint, so the client has no direct link to send everything through",
                    network.Shape == NetworkShape.Hub ? $"'exit: {hub}', or no 'exit'" : "'exit: NODE' naming a node with an endpoint");
            }
            else if (exit.PublicInterface is null)
            {
                context.Error(position, path, $"exit '{exit.Name}' has no public_interface: its masquerade for the full tunnel must name the interface to the Internet", $"'public_interface: IFACE' (e.g. eth0) on node '{exit.Name}'");
            }
            else if (exit.Os.IsRhelFamily() && exit.Lan is { } lan && lan.Interface != exit.PublicInterface)
            {
                context.Error(position, path, $"exit '{exit.Name}' runs firewalld with its LAN and its uplink in two zones; forwarding the full tunnel across them is not planned yet", "an exit on ubuntu/debian, a one-armed exit (public_interface equal to lan.interface), or one without a LAN");
            }
            resolved.Add(exit is null ? node : node with { Exit = exit.Name });
        }
        return resolved;
    }
}
