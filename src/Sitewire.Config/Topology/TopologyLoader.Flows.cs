using System.Net;
using System.Net.Sockets;
using Sitewire.Config.Yaml;
using Sitewire.Text;
using YamlDotNet.RepresentationModel;

namespace Sitewire.Config.Topology;

public static partial class TopologyLoader
{
    private static readonly Dictionary<string, FlowExpectation> ExpectationNames = new(StringComparer.Ordinal)
    {
        ["allow"] = FlowExpectation.Allow,
        ["deny"] = FlowExpectation.Deny,
    };

    private static readonly Dictionary<string, AddressFamily> FamilyNames = new(StringComparer.Ordinal)
    {
        ["ipv4"] = AddressFamily.InterNetwork,
        ["ipv6"] = AddressFamily.InterNetworkV6,
    };

    private static List<Flow> ReadFlows(YamlMap document, IReadOnlyList<Node> nodes, IReadOnlyList<LanHost> hosts)
    {
        var flows = new List<Flow>();
        foreach (var (item, path) in document.Sequence("flows"))
        {
            if (item is not YamlMappingNode mapping)
            {
                document.Context.Error(item, path, "a flow is not a mapping", "'- from: HOST' and 'to: HOST:PORT/PROTO'");
                continue;
            }
            var map = new YamlMap(mapping, path, document.Context);
            map.RejectUnknown("from", "to", "expect", "family");
            var from = map.String("from", required: true);
            if (from is not null && !nodes.Any(node => node.Name == from) && !hosts.Any(host => host.Name == from))
            {
                map.Context.Error(map.Get("from")!, map.FieldPath("from"), $"no host or node named '{from}'{DidYouMean.Hint(from, Names(nodes, hosts))}", "the name of a host or node");
                from = null;
            }
            var familyGiven = map.Get("family") is not null;
            var family = map.Enum("family", FamilyNames);
            var to = map.String("to", required: true) is { } toText && (family is not null || !familyGiven)
                ? Target(map, toText, family, from, nodes, hosts)
                : null;
            var expect = map.Enum("expect", ExpectationNames) ?? FlowExpectation.Allow;
            if (from is not null && to is not null)
            {
                flows.Add(new Flow(from, to, expect, map.Context.LocationOf(mapping)));
            }
        }
        return flows;
    }

    /// <summary>
    /// Resolves <c>to</c>: a host to its address of <paramref name="family"/> (its mapped one from another site), a node
    /// to its overlay address of that family, a literal as written. Without a family: IPv4 when the name has an IPv4
    /// address, else IPv6.
    /// </summary>
    private static FlowTarget? Target(YamlMap map, string text, AddressFamily? family, string? from, IReadOnlyList<Node> nodes, IReadOnlyList<LanHost> hosts)
    {
        var parsed = TopologyValues.ParseFlowTarget(text, out var error);
        if (parsed is not { } target)
        {
            map.Context.Error(map.Get("to")!, map.FieldPath("to"), error!, "NAME[:PORT[/tcp|udp]] or ADDRESS[:PORT[/tcp|udp]]");
            return null;
        }
        if (NamedTarget.Find(hosts, nodes, target.Target, from) is { } named)
        {
            var wanted = named.FamilyFor(family);
            if (named.AddressOf(wanted) is { } address)
            {
                return new FlowTarget(named.Name, address, target.Port, target.Protocol);
            }
            var key = map.Get("family") is null ? "to" : "family";
            map.Context.Error(map.Get(key)!, map.FieldPath(key), named.Missing(wanted),
                $"family: {FamilyName(wanted == AddressFamily.InterNetwork ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork)}, or a target with an {FamilyName(wanted)} address");
            return null;
        }
        if (TopologyValues.TryParseLiteral(target.Target, out var literal))
        {
            if (family is { } wanted && literal.AddressFamily != wanted)
            {
                map.Context.Error(map.Get("family")!, map.FieldPath("family"), $"{literal} is an {FamilyName(literal.AddressFamily)} address, and family says {FamilyName(wanted)}",
                    $"family: {FamilyName(literal.AddressFamily)}, or no family for an address");
                return null;
            }
            return new FlowTarget(null, literal, target.Port, target.Protocol);
        }
        map.Context.Error(map.Get("to")!, map.FieldPath("to"), $"no host or node named '{target.Target}'{DidYouMean.Hint(target.Target, Names(nodes, hosts))}", "the name of a host or node, or an IP address");
        return null;
    }

    private static IEnumerable<string> Names(IReadOnlyList<Node> nodes, IReadOnlyList<LanHost> hosts) =>
        nodes.Select(node => node.Name).Concat(hosts.Select(host => host.Name));

    private static string FamilyName(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? "ipv6" : "ipv4";
}
