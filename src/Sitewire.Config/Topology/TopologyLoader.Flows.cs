using System.Net;
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
            map.RejectUnknown("from", "to", "expect");
            var from = map.String("from", required: true);
            if (from is not null && !nodes.Any(node => node.Name == from) && !hosts.Any(host => host.Name == from))
            {
                map.Context.Error(map.Get("from")!, map.FieldPath("from"), $"no host or node named '{from}'", "the name of a host or node");
                from = null;
            }
            var to = map.String("to", required: true) is { } toText ? Target(map, toText, nodes, hosts) : null;
            var expect = map.Enum("expect", ExpectationNames) ?? FlowExpectation.Allow;
            if (from is not null && to is not null)
            {
                flows.Add(new Flow(from, to, expect, map.Context.LocationOf(mapping)));
            }
        }
        return flows;
    }

    private static FlowTarget? Target(YamlMap map, string text, IReadOnlyList<Node> nodes, IReadOnlyList<LanHost> hosts)
    {
        var parsed = TopologyValues.ParseFlowTarget(text, out var error);
        if (parsed is not { } target)
        {
            map.Context.Error(map.Get("to")!, map.FieldPath("to"), error!, "NAME[:PORT[/tcp|udp]] or ADDRESS[:PORT[/tcp|udp]]");
            return null;
        }
        if (hosts.FirstOrDefault(host => host.Name == target.Target) is { } namedHost)
        {
            return new FlowTarget(namedHost.Name, namedHost.Address, target.Port, target.Protocol);
        }
        if (nodes.FirstOrDefault(node => node.Name == target.Target) is { } namedNode)
        {
            return new FlowTarget(namedNode.Name, namedNode.OverlayAddress, target.Port, target.Protocol);
        }
        if (IPAddress.TryParse(target.Target, out var address))
        {
            return new FlowTarget(null, address, target.Port, target.Protocol);
        }
        map.Context.Error(map.Get("to")!, map.FieldPath("to"), $"no host or node named '{target.Target}'", "the name of a host or node, or an IP address");
        return null;
    }
}
