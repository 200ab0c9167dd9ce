using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Sitewire.Config.Yaml;
using Sitewire.Crypto;
using YamlDotNet.RepresentationModel;

namespace Sitewire.Config.Topology;

public static partial class TopologyLoader
{
    private static readonly Dictionary<string, NodeRole> RoleNames = new(StringComparer.Ordinal)
    {
        ["relay"] = NodeRole.Relay,
        ["site"] = NodeRole.Site,
        ["client"] = NodeRole.Client,
    };

    private static readonly Dictionary<string, NatMode> NatNames = new(StringComparer.Ordinal)
    {
        ["masquerade"] = NatMode.Masquerade,
        ["routed"] = NatMode.Routed,
        ["none"] = NatMode.None,
    };

    private static readonly Dictionary<string, OsFamily> OsNames = new(StringComparer.Ordinal)
    {
        ["ubuntu"] = OsFamily.Ubuntu,
        ["debian"] = OsFamily.Debian,
        ["rhel"] = OsFamily.Rhel,
        ["rocky"] = OsFamily.Rocky,
        ["alma"] = OsFamily.Alma,
        ["fedora"] = OsFamily.Fedora,
        ["android"] = OsFamily.Android,
        ["ios"] = OsFamily.Ios,
        ["windows"] = OsFamily.Windows,
        ["macos"] = OsFamily.Macos,
        ["linux"] = OsFamily.Linux,
    };

    private static readonly Dictionary<string, KeyMode> KeyModeNames = new(StringComparer.Ordinal)
    {
        ["central"] = KeyMode.Central,
        ["node-local"] = KeyMode.NodeLocal,
    };

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$")]
    private static partial Regex NamePattern();

    private sealed record NodeDraft(Node Node, YamlMap Map, IReadOnlyList<MappingField> Mappings);

    private static List<NodeDraft> ReadNodes(YamlMap document, NetworkSettings? network)
    {
        var drafts = new List<NodeDraft>();
        foreach (var (item, path) in document.Sequence("nodes"))
        {
            if (item is not YamlMappingNode mapping)
            {
                document.Context.Error(item, path, "a node is not a mapping", "'- name: ...' with the node's fields");
                continue;
            }
            var map = new YamlMap(mapping, path, document.Context);
            var mappings = new List<MappingField>();
            if (ReadNode(map, network, mappings) is { } node)
            {
                drafts.Add(new NodeDraft(node, map, mappings));
            }
        }
        if (drafts.Count == 0 && !document.Context.HasErrors)
        {
            document.Context.Error(document.Node, "nodes", "no nodes", "at least one node in 'nodes:'");
        }
        return drafts;
    }

    private static Node? ReadNode(YamlMap map, NetworkSettings? network, List<MappingField> mappings)
    {
        map.RejectUnknown(["name", "role", "os", "endpoint", "behind_nat", "address", "address_v6", "lan", "nat", "public_interface", "public_key", "uplink_mtu", "mss_clamp", "drops_icmp", "docker", "docker_user", "dns", "route_all", "exit", "keys", .. OverrideFields]);
        var name = Name(map);
        var role = map.Enum("role", RoleNames) ?? NodeRole.Site;
        var os = map.Enum("os", OsNames) ?? OsFamily.Ubuntu;
        PublicEndpoint? endpoint = null;
        if (map.String("endpoint") is { } endpointText)
        {
            endpoint = TopologyValues.ParseEndpoint(endpointText, network?.ListenPort ?? NetworkSettings.DefaultListenPort, out var error);
            if (endpoint is null)
            {
                map.Context.Error(map.Get("endpoint")!, map.FieldPath("endpoint"), error!, "HOST:PORT, [IPV6]:PORT or HOST");
            }
        }
        var address = Address(map, "address");
        if (address is not null && network is not null && !network.Overlay.Contains(address))
        {
            map.Context.Error(map.Get("address")!, map.FieldPath("address"), $"{address} is outside the overlay {network.Overlay}", $"an address in {network.Overlay}");
        }
        var addressV6 = Address(map, "address_v6");
        if (addressV6 is not null && network?.OverlayV6 is { } v6 && !v6.Contains(addressV6))
        {
            map.Context.Error(map.Get("address_v6")!, map.FieldPath("address_v6"), $"{addressV6} is outside the overlay {v6}", $"an address in {v6}");
        }
        var lan = ReadLan(map.Map("lan"), mappings);
        var nat = map.Enum("nat", NatNames) ?? (lan is null ? NatMode.None : NatMode.Masquerade);
        if (nat != NatMode.None && map.Get("lan") is null && map.Get("nat") is { } natNode)
        {
            map.Context.Error(natNode, map.FieldPath("nat"), $"nat mode needs a LAN", "a 'lan:' section, or 'nat: none'");
        }
        Key? publicKey = null;
        if (map.String("public_key") is { } keyText)
        {
            if (Key.TryParseBase64(keyText, out var parsed))
            {
                publicKey = parsed;
            }
            else
            {
                map.Context.Error(map.Get("public_key")!, map.FieldPath("public_key"), "not a WireGuard public key", "44 characters of base64 (32 bytes), as `wg pubkey` prints");
            }
        }
        var docker = map.Boolean("docker") ?? false;
        if (!docker && map.Get("docker_user") is { } dockerUserNode)
        {
            map.Context.Error(dockerUserNode, map.FieldPath("docker_user"), "docker_user applies only to a node that runs Docker", "'docker: true', or no 'docker_user'");
        }
        var client = ReadClientFields(map, role);
        CheckClientDevice(map, role, os, lan is not null, docker);
        if (name is null)
        {
            return null;
        }
        return new Node(
            name, role, os, endpoint, map.Boolean("behind_nat") ?? false,
            address ?? IPAddress.None, address is null, addressV6,
            lan, nat, InterfaceName(map, "public_interface"), publicKey, map.Context.LocationOf(map.Node), map.Integer("uplink_mtu", 576, 9000),
            ReadOverrides(map), map.Boolean("mss_clamp") ?? true, map.Boolean("drops_icmp") ?? false, docker, map.Boolean("docker_user") ?? true,
            client.Dns, client.RouteAll, client.Exit, map.Enum("keys", KeyModeNames));
    }

    private static string? Name(YamlMap map)
    {
        var name = map.String("name", required: true);
        if (name is not null && !NamePattern().IsMatch(name))
        {
            map.Context.Error(map.Get("name")!, map.FieldPath("name"), $"'{name}' is not a valid name", "a letter or digit, then up to 62 of a-z A-Z 0-9 _ -");
            return null;
        }
        return name;
    }

    /// <summary>An interface name field; an invalid one is reported and read as absent, so no later step sees it.</summary>
    private static string? InterfaceName(YamlMap map, string key, bool required = false)
    {
        var name = map.String(key, required);
        if (name is not null && !TopologyValues.IsInterfaceName(name))
        {
            map.Context.Error(map.Get(key)!, map.FieldPath(key), $"'{name}' is not a valid interface name", TopologyValues.InterfaceNameGrammar);
            return null;
        }
        return name;
    }

    private static IPAddress? Address(YamlMap map, string key)
    {
        if (map.String(key) is not { } text)
        {
            return null;
        }
        var address = TopologyValues.ParseAddress(text, out var error);
        if (address is null)
        {
            map.Context.Error(map.Get(key)!, map.FieldPath(key), error!, "an IP address without prefix length");
        }
        return address;
    }

    private static LanSettings? ReadLan(YamlMap? map, List<MappingField> mappings)
    {
        if (map is null)
        {
            return null;
        }
        map.RejectUnknown("interface", "address", "address_v6", "subnets", "mapped_as");
        var interfaceName = InterfaceName(map, "interface", required: true);
        var address = InterfaceAddress(map, "address", AddressFamily.InterNetwork, "the node's IPv4 LAN address with prefix length, such as 172.18.3.16/24 (an IPv6 one goes in address_v6)");
        var addressV6 = InterfaceAddress(map, "address_v6", AddressFamily.InterNetworkV6, "the node's IPv6 LAN address with prefix length, such as fd00:10:10::1/64");
        var subnets = new List<LanSubnet>();
        (IPAddress Address, int Length)[] own = [.. new[] { address, addressV6 }.OfType<(IPAddress Address, int Length)>()];
        foreach (var (item, path) in map.Sequence("subnets"))
        {
            if (ReadSubnet(item, path, map.Context, own, mappings) is { } subnet)
            {
                subnets.Add(subnet);
            }
        }
        if (subnets.Count == 0)
        {
            subnets.AddRange(new[] { address, addressV6 }.OfType<(IPAddress Address, int Length)>()
                .Select(own => new LanSubnet(new IPNetwork(TopologyValues.Masked(own.Address, own.Length), own.Length), null)));
        }
        MapWholeLan(map, subnets, mappings);
        return interfaceName is null ? null : new LanSettings(interfaceName, address?.Address, address?.Length, subnets, addressV6?.Address, addressV6?.Length);
    }

    /// <summary>An <c>ADDRESS/LEN</c> field of one address family.</summary>
    private static (IPAddress Address, int Length)? InterfaceAddress(YamlMap map, string key, AddressFamily family, string expected)
    {
        if (map.String(key) is not { } text)
        {
            return null;
        }
        var address = TopologyValues.ParseInterfaceAddress(text, out var error);
        if (address is null)
        {
            map.Context.Error(map.Get(key)!, map.FieldPath(key), error!, expected);
            return null;
        }
        if (address.Value.Address.AddressFamily != family)
        {
            map.Context.Error(map.Get(key)!, map.FieldPath(key), $"{address.Value.Address} is not an {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address", expected);
            return null;
        }
        return address;
    }

    private static LanSubnet? ReadSubnet(YamlNode item, string path, YamlReadContext context, IReadOnlyList<(IPAddress Address, int Length)> own, List<MappingField> mappings)
    {
        string? prefixText;
        string? viaText = null;
        YamlNode prefixNode = item;
        YamlMap? itemMap = null;
        if (item is YamlScalarNode scalar)
        {
            prefixText = scalar.Value;
        }
        else if (item is YamlMappingNode mapping)
        {
            itemMap = new YamlMap(mapping, path, context);
            itemMap.RejectUnknown("prefix", "via", "mapped_as");
            prefixText = itemMap.String("prefix", required: true);
            viaText = itemMap.String("via");
            prefixNode = itemMap.Get("prefix") ?? item;
        }
        else
        {
            context.Error(item, path, "a subnet is neither a CIDR nor a mapping", "a CIDR, or 'prefix:' and 'via:'");
            return null;
        }
        if (prefixText is null)
        {
            return null;
        }
        var prefix = TopologyValues.ParsePrefix(prefixText, out var error);
        if (prefix is null)
        {
            context.Error(prefixNode, itemMap is null ? path : $"{path}.prefix", error!, "a CIDR such as 172.18.3.0/24");
            return null;
        }
        IPAddress? via = null;
        if (viaText is not null)
        {
            via = TopologyValues.ParseAddress(viaText, out var viaError);
            if (via is null)
            {
                context.Error(itemMap!.Get("via")!, $"{path}.via", viaError!, "the LAN router's address");
                return null;
            }
            if (OwnLinkSegment(own, via) is not { } link)
            {
                var field = via.AddressFamily == AddressFamily.InterNetwork ? "address" : "address_v6";
                context.Error(itemMap!.Get("via")!, $"{path}.via", $"the node has no {(field == "address" ? "IPv4" : "IPv6")} LAN address to reach the LAN router {via} from",
                    $"lan.{field}: the node's own address on the link the router is on, with its prefix length");
                return null;
            }
            if (!link.Segment.CanBeGatewayOf(via, link.Address))
            {
                context.Error(itemMap!.Get("via")!, $"{path}.via",
                    via.Equals(link.Address) ? $"{via} is the node's own LAN address" : $"{via} is not on the node's LAN link {link.Segment.Prefix}: the node reaches the LAN router directly",
                    $"the LAN router's address on that link: an address of {link.Segment.Prefix} ({link.Segment.UsableRange}) other than {link.Address}");
                return null;
            }
        }
        var mappedAs = itemMap is null ? null : MappedAs(itemMap, prefix.Value);
        if (mappedAs is not null)
        {
            mappings.Add(new MappingField(prefix.Value, mappedAs.Value, itemMap!.Get("mapped_as")!, $"{path}.mapped_as"));
        }
        return new LanSubnet(prefix.Value, via, mappedAs);
    }

    /// <summary>The node's own LAN link of the address's family, with the node's address on it; null when the node has no LAN address of that family.</summary>
    private static (LanSegment Segment, IPAddress Address)? OwnLinkSegment(IReadOnlyList<(IPAddress Address, int Length)> own, IPAddress peer) =>
        own.Where(a => a.Address.AddressFamily == peer.AddressFamily)
            .Select(a => ((LanSegment Segment, IPAddress Address)?)(LanSegment.OwnLink(a.Address, a.Length), a.Address))
            .FirstOrDefault();

    private static List<Node> AssignAddresses(List<NodeDraft> drafts, NetworkSettings network, YamlMap document)
    {
        var assigned = OverlayAddressAllocator.Assign(
            network.Overlay,
            drafts.Where(draft => !draft.Node.OverlayAddressAssigned).Select(draft => draft.Node.OverlayAddress),
            drafts.Where(draft => draft.Node.OverlayAddressAssigned).Select(draft => draft.Node.Name).Distinct());
        if (assigned is null)
        {
            document.Context.Error(document.Get("network") ?? document.Node, "network.overlay", $"{network.Overlay} has too few addresses for {drafts.Count} nodes", "a larger overlay prefix");
            return drafts.Select(draft => draft.Node).ToList();
        }
        return drafts.Select(draft =>
        {
            var node = draft.Node.OverlayAddressAssigned ? draft.Node with { OverlayAddress = assigned[draft.Node.Name] } : draft.Node;
            if (node.OverlayAddressV6 is null && network.OverlayV6 is { } v6)
            {
                node = node with { OverlayAddressV6 = OverlayAddressAllocator.AddressAt(v6, OverlayAddressAllocator.HostNumber(network.Overlay, node.OverlayAddress)) };
            }
            return node;
        }).ToList();
    }

    private static void CheckShape(NetworkSettings network, IReadOnlyList<Node> nodes, YamlMap document)
    {
        var networkNode = document.Get("network") ?? document.Node;
        var context = document.Context;
        Node? relay = null;
        if (document.Map("network")?.Get("hub") is not null)
        {
            var relays = CheckHubRelays(network, nodes, document);
            relay = relays.FirstOrDefault();
            foreach (var standby in relays.Skip(1).Where(standby => standby.Endpoint is null))
            {
                context.Error(standby.Location, $"nodes[{IndexOf(nodes, standby)}].endpoint", $"relay '{standby.Name}' has no public endpoint, so no site can fail over to it", "'endpoint: HOST:PORT' on the relay");
            }
        }
        else
        {
            var relays = nodes.Where(node => node.Role == NodeRole.Relay).ToList();
            relay = relays.FirstOrDefault();
            if (network.Shape == NetworkShape.Hub && relays.Count != 1)
            {
                context.ErrorFollowing(["network.shape", "network.hub"], networkNode, "network.hub", relays.Count == 0 ? "a hub needs a relay, and no node has role relay" : "several relays; which one is the hub is not said", "'hub: NAME' naming one node with role relay, or 'hub: [NAME, NAME]' naming relays to fail over between");
                return;
            }
        }
        if (relay is not null && relay.Endpoint is null && (network.Shape == NetworkShape.Hub || nodes.Any(node => node.Endpoint is null)))
        {
            context.Error(relay.Location, $"nodes[{IndexOf(nodes, relay)}].endpoint", $"relay '{relay.Name}' has no public endpoint, so no node can reach it", "'endpoint: HOST:PORT' on the relay");
        }
        if (network.Shape == NetworkShape.Mesh)
        {
            var unreachable = nodes.Where(node => node.Endpoint is null).ToList();
            if (unreachable.Count > 1 && (relay is null || relay.Endpoint is null))
            {
                context.Error(networkNode, "network.shape", $"mesh pairs {unreachable[0].Name} and {unreachable[1].Name} have no public endpoint on either side and there is no relay to carry them", "a node with role relay and an endpoint, or endpoints on the nodes");
            }
        }
    }

    /// <summary>
    /// The relays `hub:` names, in its order, each a node with role relay and named once; a mesh names one (its
    /// relay only carries pairs that cannot connect, there is nothing to fail over to). Each error points at the
    /// name's own position in the list.
    /// </summary>
    private static List<Node> CheckHubRelays(NetworkSettings network, IReadOnlyList<Node> nodes, YamlMap document)
    {
        var context = document.Context;
        var hubNode = document.Map("network")?.Get("hub") ?? document.Get("network") ?? document.Node;
        var relays = new List<Node>();
        for (var index = 0; index < network.HubRelays.Count; index++)
        {
            var name = network.HubRelays[index];
            var (position, field) = hubNode is YamlSequenceNode list ? (list.Children[index], $"network.hub[{index}]") : (hubNode, "network.hub");
            var relay = nodes.FirstOrDefault(node => node.Name == name);
            if (relay is null)
            {
                context.Error(position, field, $"no node named '{name}'", "the name of a node with role relay");
            }
            else if (relay.Role != NodeRole.Relay)
            {
                context.Error(position, field, $"node '{name}' has role {relay.Role.ToString().ToLowerInvariant()}", "a node with role relay");
            }
            else if (relays.Contains(relay))
            {
                context.Error(position, field, $"relay '{name}' is named twice", "each relay once, in order of preference");
            }
            else
            {
                relays.Add(relay);
            }
        }
        if (network.Shape == NetworkShape.Mesh && network.HubRelays.Count > 1)
        {
            context.Error(hubNode, "network.hub", "a mesh names one relay, for the pairs that cannot connect directly; failover between relays is for shape hub", "'hub: NAME' or 'shape: hub'");
        }
        return relays;
    }

    private static int IndexOf(IReadOnlyList<Node> nodes, Node node)
    {
        for (var index = 0; index < nodes.Count; index++)
        {
            if (ReferenceEquals(nodes[index], node))
            {
                return index;
            }
        }
        return -1;
    }
}
