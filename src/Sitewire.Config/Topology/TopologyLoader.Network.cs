using System.Net;
using System.Net.Sockets;
using Sitewire.Config.Yaml;

namespace Sitewire.Config.Topology;

public static partial class TopologyLoader
{
    private static readonly Dictionary<string, NetworkShape> ShapeNames = new(StringComparer.Ordinal)
    {
        ["hub"] = NetworkShape.Hub,
        ["mesh"] = NetworkShape.Mesh,
    };

    private static NetworkSettings? ReadNetwork(YamlMap? section, YamlReadContext context)
    {
        if (section is null)
        {
            return null;
        }
        section.RejectUnknown("overlay", "overlay_v6", "listen_port", "mtu", "persistent_keepalive", "interface", "shape", "hub");
        var overlay = Prefix(section, "overlay", AddressFamily.InterNetwork, required: true);
        if (overlay is { } v4 && v4.PrefixLength > 30)
        {
            context.Error(section.Get("overlay")!, section.FieldPath("overlay"), $"{v4} has no room for nodes", "a prefix of /30 or shorter");
            overlay = null;
        }
        var overlayV6 = Prefix(section, "overlay_v6", AddressFamily.InterNetworkV6, required: false);
        var interfaceName = InterfaceName(section, "interface") ?? NetworkSettings.DefaultInterfaceName;
        var settings = new NetworkSettings(
            overlay ?? new IPNetwork(IPAddress.Any, 0),
            overlayV6,
            section.Integer("listen_port", 1, 65535) ?? NetworkSettings.DefaultListenPort,
            section.Integer("mtu", 1280, 9000) ?? NetworkSettings.DefaultMtu,
            section.Integer("persistent_keepalive", 0, 65535) ?? NetworkSettings.DefaultPersistentKeepalive,
            interfaceName,
            section.Enum("shape", ShapeNames) ?? NetworkShape.Hub,
            section.String("hub"));
        return overlay is null ? null : settings;
    }

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
