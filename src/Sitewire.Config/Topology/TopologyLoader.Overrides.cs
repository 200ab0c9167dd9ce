using System.Net;
using Sitewire.Config.Yaml;
using Sitewire.Text;
using YamlDotNet.RepresentationModel;

namespace Sitewire.Config.Topology;

public static partial class TopologyLoader
{
    /// <summary>The node fields that keep a deployed config as it is (<see cref="NodeOverrides"/>).</summary>
    private static readonly string[] OverrideFields = ["persistent_keepalive", "allowed_ips", "drop", "post_up", "post_down"];

    private static readonly Dictionary<string, FilterChain> ChainNames = new(StringComparer.Ordinal)
    {
        ["forward"] = FilterChain.Forward,
        ["input"] = FilterChain.Input,
    };

    private static readonly Dictionary<string, TransportProtocol> DropProtocols = new(StringComparer.Ordinal)
    {
        ["tcp"] = TransportProtocol.Tcp,
        ["udp"] = TransportProtocol.Udp,
    };

    private static NodeOverrides? ReadOverrides(YamlMap map)
    {
        if (!OverrideFields.Any(field => map.Get(field) is not null))
        {
            return null;
        }
        var changes = map.Sequence("allowed_ips").Select(entry => ReadAllowedIpsChange(entry.Item, entry.Path, map.Context)).OfType<AllowedIpsChange>().ToList();
        var drops = map.Sequence("drop").Select(entry => ReadDropRule(entry.Item, entry.Path, map.Context)).OfType<DropRule>().ToList();
        return new NodeOverrides(map.Integer("persistent_keepalive", 0, 65535), changes, drops, HookLines(map, "post_up"), HookLines(map, "post_down"));
    }

    private static AllowedIpsChange? ReadAllowedIpsChange(YamlNode item, string path, YamlReadContext context)
    {
        if (item is not YamlMappingNode mapping)
        {
            context.Error(item, path, "an AllowedIPs change is not a mapping", "'peer:' with 'extra:' and/or 'missing:' prefix lists");
            return null;
        }
        var map = new YamlMap(mapping, path, context);
        map.RejectUnknown("peer", "extra", "missing");
        var peer = map.String("peer", required: true);
        var extra = Prefixes(map, "extra");
        var missing = Prefixes(map, "missing");
        if (extra.Count + missing.Count == 0 && !context.HasErrors)
        {
            context.Error(item, path, "the change changes nothing", "'extra:' or 'missing:' with at least one prefix");
        }
        return peer is null ? null : new AllowedIpsChange(peer, extra, missing, context.LocationOf(item));
    }

    private static List<IPNetwork> Prefixes(YamlMap map, string key)
    {
        var prefixes = new List<IPNetwork>();
        foreach (var (item, path) in map.Sequence(key))
        {
            var text = item is YamlScalarNode { Value: { } value } ? value : null;
            if (text is not null && TopologyValues.ParsePrefix(text, out var error) is { } prefix)
            {
                prefixes.Add(prefix);
            }
            else
            {
                map.Context.Error(item, path, text is null ? "not a prefix" : $"'{text}' is not a prefix", "a CIDR such as 10.21.0.0/24 (0.0.0.0/0 for everything)");
            }
        }
        return prefixes;
    }

    private static DropRule? ReadDropRule(YamlNode item, string path, YamlReadContext context)
    {
        if (item is not YamlMappingNode mapping)
        {
            context.Error(item, path, "a drop rule is not a mapping", "'chain:' and what the rule matches (in, out, protocol, port, source, destination)");
            return null;
        }
        var map = new YamlMap(mapping, path, context);
        map.RejectUnknown("chain", "in", "out", "protocol", "port", "source", "destination");
        if (map.Get("chain") is null)
        {
            context.Error(item, map.FieldPath("chain"), "missing required field", "'chain: forward' or 'chain: input'");
        }
        var chain = map.Enum("chain", ChainNames);
        var protocol = map.Enum("protocol", DropProtocols);
        var port = map.Integer("port", 1, 65535);
        if (port is not null && protocol is null && map.Get("protocol") is null)
        {
            context.Error(map.Get("port")!, map.FieldPath("port"), "a port without a protocol", "'protocol: tcp' or 'protocol: udp' beside it");
        }
        var inInterface = InterfaceName(map, "in");
        var outInterface = InterfaceName(map, "out");
        var source = OptionalPrefix(map, "source");
        var destination = OptionalPrefix(map, "destination");
        if (source is { } s && destination is { } d && s.BaseAddress.AddressFamily != d.BaseAddress.AddressFamily)
        {
            context.Error(map.Get("destination")!, map.FieldPath("destination"), $"{d} and source {s} are of different address families", "prefixes of one family");
        }
        if (chain is FilterChain.Input && map.Get("out") is { } outNode)
        {
            context.Error(outNode, map.FieldPath("out"), "an input rule has no outgoing interface", "'chain: forward', or no 'out:'");
        }
        return chain is { } known && !context.HasErrors
            ? new DropRule(known, inInterface, outInterface, protocol, port, source, destination)
            : null;
    }

    private static IPNetwork? OptionalPrefix(YamlMap map, string key)
    {
        if (map.String(key) is not { } text)
        {
            return null;
        }
        var prefix = TopologyValues.ParsePrefix(text, out var error);
        if (prefix is null)
        {
            map.Context.Error(map.Get(key)!, map.FieldPath(key), error!, "a CIDR such as 10.21.0.0/24");
        }
        return prefix;
    }

    /// <summary>Hook lines kept verbatim: one wg-quick line each, so no line break, NUL or '#' (where wg-quick cuts a line).</summary>
    private static List<string> HookLines(YamlMap map, string key)
    {
        var lines = new List<string>();
        foreach (var (item, path) in map.Sequence(key))
        {
            if (item is YamlScalarNode { Value: { Length: > 0 } text } scalar && YamlMap.CoreType(scalar) is null && text.AsSpan().IndexOfAny("\n\r\0#") < 0)
            {
                lines.Add(text);
            }
            else
            {
                map.Context.Error(item, path, "not a hook line", "one command line as text, without line breaks or '#' (wg-quick cuts a line there)");
            }
        }
        return lines;
    }

    /// <summary>Each <c>allowed_ips[].peer</c> names another node.</summary>
    private static void CheckOverridePeers(IReadOnlyList<Node> nodes, YamlReadContext context)
    {
        for (var index = 0; index < nodes.Count; index++)
        {
            var node = nodes[index];
            var changes = node.Kept.AllowedIps;
            for (var change = 0; change < changes.Count; change++)
            {
                var peer = changes[change].Peer;
                if (peer == node.Name || !nodes.Any(other => other.Name == peer))
                {
                    context.Error(changes[change].Location, $"nodes[{index}].allowed_ips[{change}].peer",
                        peer == node.Name ? $"'{peer}' is the node itself" : $"no node named '{peer}'{DidYouMean.Hint(peer, nodes.Select(other => other.Name))}", "the name of another node this node peers with");
                }
            }
        }
    }
}
