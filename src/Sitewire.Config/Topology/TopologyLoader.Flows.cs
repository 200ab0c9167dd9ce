using System.Net.Sockets;
using Sitewire.Config.Yaml;
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

    /// <summary>
    /// Each <c>flows:</c> entry becomes the flows verify and the lab try (every origin to every target its ends
    /// name, a host or node never to itself) and one <see cref="FlowRule"/> per address family its targets use.
    /// A flow a group's allow expands to that a deny flow names exactly is the deny's: deny rules come first in the policy.
    /// </summary>
    private static (List<Flow> Flows, List<FlowRule> Rules) ReadFlows(YamlMap document, IReadOnlyList<Node> nodes, IReadOnlyList<LanHost> hosts)
    {
        var groups = ReadGroups(document, nodes, hosts);
        var flows = new List<Flow>();
        var rules = new List<FlowRule>();
        var grouped = new HashSet<Flow>(ReferenceEqualityComparer.Instance);
        foreach (var (item, path) in document.Sequence("flows"))
        {
            if (item is not YamlMappingNode mapping)
            {
                document.Context.Error(item, path, "a flow is not a mapping", "'- from: HOST' and 'to: HOST:PORT/PROTO'");
                continue;
            }
            var map = new YamlMap(mapping, path, document.Context);
            map.RejectUnknown("from", "to", "expect", "family");
            var from = Origins(map, nodes, hosts, groups);
            var familyGiven = map.Get("family") is not null;
            var family = map.Enum("family", FamilyNames);
            var to = map.String("to", required: true) is { } toText && (family is not null || !familyGiven)
                ? Targets(map, toText, family, nodes, hosts, groups)
                : null;
            var expect = map.Enum("expect", ExpectationNames) ?? FlowExpectation.Allow;
            if (from is null || to is null)
            {
                continue;
            }
            var location = map.Context.LocationOf(mapping);
            var expanded = from.SelectMany(end => end.Names).Distinct()
                .SelectMany(origin => to.Where(target => target.Target.Name != origin).Select(target => new Flow(origin, SeenFrom(target.Target, origin, nodes, hosts), expect, location)))
                .ToList();
            flows.AddRange(expanded);
            if (expanded.Count > 1)
            {
                grouped.UnionWith(expanded);
            }
            foreach (var targetFamily in to.Select(target => target.Target.Address.AddressFamily).Distinct())
            {
                var sources = from.SelectMany(end => end.Scope(targetFamily)).Distinct().ToList();
                var destinations = to.Where(target => target.Target.Address.AddressFamily == targetFamily).SelectMany(target => target.End.Scope(targetFamily)).Distinct().ToList();
                var first = to.First(target => target.Target.Address.AddressFamily == targetFamily).Target;
                if (sources.Count > 0)
                {
                    rules.Add(new FlowRule(expect, sources, destinations, first.Protocol, first.Port, location));
                }
            }
        }
        flows.RemoveAll(flow => grouped.Contains(flow) && flow.Expect == FlowExpectation.Allow
            && flows.Any(deny => deny.Expect == FlowExpectation.Deny && deny.From == flow.From && deny.To == flow.To));
        return (flows, rules);
    }

    /// <summary><c>from</c>: one end, or a list of ends.</summary>
    private static List<FlowEnd>? Origins(YamlMap map, IReadOnlyList<Node> nodes, IReadOnlyList<LanHost> hosts, IReadOnlyDictionary<string, IReadOnlyList<FlowEnd>> groups)
    {
        const string Expected = "a host, node or group name, site:NODE, or a list of them";
        var value = map.Get("from");
        var written = value switch
        {
            null => null,
            YamlSequenceNode { Children.Count: > 0 } sequence => sequence.Children.Select((child, index) => (Node: child, Path: $"{map.FieldPath("from")}[{index}]")).ToList(),
            _ => [(Node: value, Path: map.FieldPath("from"))],
        };
        if (written is null)
        {
            map.String("from", required: true);
            return null;
        }
        var ends = new List<FlowEnd>();
        var failed = false;
        foreach (var (node, path) in written)
        {
            if (node is not YamlScalarNode { Value: { } text } scalar || YamlMap.CoreType(scalar) is not null)
            {
                map.Context.Error(node, path, $"{YamlMap.Describe(node)} is not a flow end", Expected);
                failed = true;
                continue;
            }
            if (ResolveEnd(map.Context, node, path, text, nodes, hosts, groups) is { } resolved)
            {
                ends.AddRange(resolved);
            }
            else
            {
                failed = true;
            }
        }
        return failed ? null : ends;
    }

    /// <summary>
    /// Resolves <c>to</c>: <c>END[:PORT[/PROTO]]</c>, END a host, node, group or <c>site:NODE</c> (its hosts), or an
    /// address literal. A host resolves to its address of <paramref name="family"/>, a node to its overlay address of
    /// that family, a literal as written. Without a family: IPv4 when the name has an IPv4 address, else IPv6.
    /// </summary>
    private static List<(FlowTarget Target, FlowEnd End)>? Targets(YamlMap map, string text, AddressFamily? family,
        IReadOnlyList<Node> nodes, IReadOnlyList<LanHost> hosts, IReadOnlyDictionary<string, IReadOnlyList<FlowEnd>> groups)
    {
        var isSite = text.StartsWith(FlowEnd.SitePrefix, StringComparison.Ordinal);
        var parsed = TopologyValues.ParseFlowTarget(isSite ? text[FlowEnd.SitePrefix.Length..] : text, out var error);
        if (parsed is not { } target)
        {
            map.Context.Error(map.Get("to")!, map.FieldPath("to"), error!, "NAME[:PORT[/tcp|udp]] or ADDRESS[:PORT[/tcp|udp]]");
            return null;
        }
        var endText = isSite ? FlowEnd.SitePrefix + target.Target : target.Target;
        if (!isSite && NamedTarget.Find(hosts, nodes, endText) is null && !groups.ContainsKey(endText) && TopologyValues.TryParseLiteral(endText, out var literal))
        {
            if (family is { } wanted && literal.AddressFamily != wanted)
            {
                map.Context.Error(map.Get("family")!, map.FieldPath("family"), $"{literal} is an {FamilyName(literal.AddressFamily)} address, and family says {FamilyName(wanted)}",
                    $"family: {FamilyName(literal.AddressFamily)}, or no family for an address");
                return null;
            }
            return [(new FlowTarget(null, literal, target.Port, target.Protocol), FlowEnd.OfLiteral(literal))];
        }
        if (ResolveEnd(map.Context, map.Get("to")!, map.FieldPath("to"), endText, nodes, hosts, groups) is not { } ends)
        {
            return null;
        }
        var targets = new List<(FlowTarget, FlowEnd)>();
        foreach (var end in ends)
        {
            var named = end.Named is { } single ? [single] : end.SiteHosts.Select(host => NamedTarget.Find(hosts, nodes, host.Name)!);
            foreach (var member in named)
            {
                var wanted = member.FamilyFor(family);
                if (member.AddressOf(wanted) is not { } address)
                {
                    var key = map.Get("family") is null ? "to" : "family";
                    map.Context.Error(map.Get(key)!, map.FieldPath(key), member.Missing(wanted),
                        $"family: {FamilyName(wanted == AddressFamily.InterNetwork ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork)}, or a target with an {FamilyName(wanted)} address");
                    return null;
                }
                targets.Add((new FlowTarget(member.Name, address, target.Port, target.Protocol), end));
            }
        }
        return targets;
    }

    /// <summary>A host of a mapped LAN is resolved as other sites see it (its mapped address); from its own site, its real one.</summary>
    private static FlowTarget SeenFrom(FlowTarget target, string origin, IReadOnlyList<Node> nodes, IReadOnlyList<LanHost> hosts) =>
        target is { Name: { } name, Address.AddressFamily: AddressFamily.InterNetwork } && NamedTarget.Find(hosts, nodes, name, origin)?.Ipv4 is { } seen
            ? target with { Address = seen }
            : target;

    private static string FamilyName(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? "ipv6" : "ipv4";
}
