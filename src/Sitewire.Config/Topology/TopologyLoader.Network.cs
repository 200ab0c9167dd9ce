using System.Net;
using System.Net.Sockets;
using Sitewire.Config.Yaml;
using YamlDotNet.RepresentationModel;

namespace Sitewire.Config.Topology;

public static partial class TopologyLoader
{
    private static readonly Dictionary<string, NetworkShape> ShapeNames = new(StringComparer.Ordinal)
    {
        ["hub"] = NetworkShape.Hub,
        ["mesh"] = NetworkShape.Mesh,
    };

    private static readonly Dictionary<string, FlowPolicy> PolicyNames = new(StringComparer.Ordinal)
    {
        ["open"] = FlowPolicy.Open,
        ["flows"] = FlowPolicy.Flows,
    };

    /// <summary>Network address, broadcast address and two nodes.</summary>
    private const int MinimumOverlayHostBits = 2;

    private static readonly IPNetwork[] AddressesNoNodeCanHave =
    [
        IPNetwork.Parse("0.0.0.0/8"),
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("224.0.0.0/3"),
        IPNetwork.Parse("::/127"),
        IPNetwork.Parse("::ffff:0:0/96"),
        IPNetwork.Parse("ff00::/8"),
    ];

    private static NetworkSettings? ReadNetwork(YamlMap? section, YamlReadContext context)
    {
        if (section is null)
        {
            return null;
        }
        section.RejectUnknown("overlay", "overlay_v6", "listen_port", "mtu", "persistent_keepalive", "interface", "shape", "hub", "policy");
        var overlay = Overlay(section, "overlay", AddressFamily.InterNetwork, MinimumOverlayHostBits);
        var overlayV6 = Overlay(section, "overlay_v6", AddressFamily.InterNetworkV6, overlay is { } v4 ? HostBits(v4) : MinimumOverlayHostBits);
        var interfaceName = InterfaceName(section, "interface") ?? NetworkSettings.DefaultInterfaceName;
        var settings = new NetworkSettings(
            overlay ?? new IPNetwork(IPAddress.Any, 0),
            overlayV6,
            section.Integer("listen_port", 1, 65535) ?? NetworkSettings.DefaultListenPort,
            section.Integer("mtu", 1280, 9000) ?? NetworkSettings.DefaultMtu,
            section.Integer("persistent_keepalive", 0, 65535) ?? NetworkSettings.DefaultPersistentKeepalive,
            interfaceName,
            section.Enum("shape", ShapeNames) ?? NetworkShape.Hub,
            HubNames(section),
            section.Enum("policy", PolicyNames) ?? FlowPolicy.Open);
        return overlay is null ? null : settings;
    }

    /// <summary>`hub: NAME` or `hub: [NAME, NAME, ...]`, in order of preference; which names are relays is checked later.</summary>
    private static IReadOnlyList<string> HubNames(YamlMap section)
    {
        if (section.Get("hub") is not YamlSequenceNode)
        {
            return section.String("hub") is { } single ? [single] : [];
        }
        var items = section.Sequence("hub");
        if (items.Count == 0)
        {
            section.Context.Error(section.Get("hub")!, section.FieldPath("hub"), "an empty list of relays", "one or more names of nodes with role relay, the preferred first");
        }
        var names = new List<string>();
        foreach (var (item, path) in items)
        {
            if (item is YamlScalarNode { Value: { Length: > 0 } name } scalar && YamlMap.CoreType(scalar) is null)
            {
                names.Add(name);
            }
            else
            {
                section.Context.Error(item, path, $"'{YamlMap.Describe(item)}' is not a node name", "the name of a node with role relay");
            }
        }
        return names;
    }

    /// <summary>
    /// An overlay prefix every node address can be taken from: room for at least two nodes besides the network and
    /// broadcast addresses, and in IPv6 as many host bits as the IPv4 overlay, since a node's IPv6 address is its IPv4
    /// host number in overlay_v6. No address of it may be one no node can have (loopback, unspecified, multicast,
    /// reserved, IPv4-mapped), which also rules out 0.0.0.0/0 and ::/0.
    /// </summary>
    private static IPNetwork? Overlay(YamlMap section, string key, AddressFamily family, int minimumHostBits)
    {
        var prefix = Prefix(section, key, family, required: family == AddressFamily.InterNetwork);
        if (prefix is not { } overlay)
        {
            return null;
        }
        var bits = HostBits(overlay);
        var longest = (family == AddressFamily.InterNetwork ? 32 : 128) - minimumHostBits;
        if (bits < minimumHostBits)
        {
            var reason = family == AddressFamily.InterNetwork || minimumHostBits == MinimumOverlayHostBits
                ? $"{overlay} has no room for nodes"
                : $"{overlay} has {bits} host bits, fewer than the {minimumHostBits} of the IPv4 overlay: a node's IPv6 address is its IPv4 host number in it";
            section.Context.Error(section.Get(key)!, section.FieldPath(key), reason, $"a prefix of /{longest} or shorter");
            return null;
        }
        if (AddressesNoNodeCanHave.Where(reserved => Overlap(reserved, overlay)).Cast<IPNetwork?>().FirstOrDefault() is { } clash)
        {
            section.Context.Error(section.Get(key)!, section.FieldPath(key), $"{overlay} overlaps {clash}, addresses no node can have", family == AddressFamily.InterNetwork ? "a private prefix such as 10.200.0.0/24" : "a unique local prefix such as fd00:5157::/64");
            return null;
        }
        return overlay;
    }

    /// <summary>Whether two prefixes share an address (not <see cref="IPNetwork.Contains"/>: it finds IPv4-mapped addresses in any IPv6 prefix).</summary>
    private static bool Overlap(IPNetwork first, IPNetwork second)
    {
        var length = Math.Min(first.PrefixLength, second.PrefixLength);
        return first.BaseAddress.AddressFamily == second.BaseAddress.AddressFamily
            && TopologyValues.Masked(first.BaseAddress, length).Equals(TopologyValues.Masked(second.BaseAddress, length));
    }

    private static int HostBits(IPNetwork prefix) =>
        (prefix.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128) - prefix.PrefixLength;

    private static IPNetwork? Prefix(YamlMap section, string key, AddressFamily family, bool required)
    {
        var text = section.String(key, required);
        if (text is null)
        {
            return null;
        }
        var prefix = TopologyValues.ParsePrefix(text, out var error);
        if (prefix is null)
        {
            section.Context.Error(section.Get(key)!, section.FieldPath(key), error!, family == AddressFamily.InterNetwork ? "an IPv4 CIDR such as 192.168.200.0/24" : "an IPv6 CIDR such as fd00:5157::/64");
            return null;
        }
        if (prefix.Value.BaseAddress.AddressFamily != family)
        {
            section.Context.Error(section.Get(key)!, section.FieldPath(key), $"{prefix} is of the wrong address family", family == AddressFamily.InterNetwork ? "an IPv4 prefix" : "an IPv6 prefix");
            return null;
        }
        return prefix;
    }
}
