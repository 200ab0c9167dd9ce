using Sitewire.Config.Diagnostics;
using Sitewire.Config.Input;
using Sitewire.Config.Yaml;

namespace Sitewire.Config.Topology;

/// <summary>
/// Reads a topology YAML file into the model. Flow: parse the YAML representation tree (marks give
/// file:line:col) within the bounds of <see cref="InputLimits"/>, read each section with type checks and unknown-field checks, assign missing
/// overlay addresses, then resolve references (hub relay, host sites, flow ends). Any diagnostic
/// means no topology is returned. Design findings (duplicate addresses, overlaps) are left to verify.
/// </summary>
public static partial class TopologyLoader
{
    public static TopologyLoadResult Load(string path)
    {
        var text = BoundedTextFile.Read(path, "a readable topology YAML file", out var error);
        return text is null ? new TopologyLoadResult(null, [error!]) : LoadText(text, path);
    }

    public static TopologyLoadResult LoadText(string text, string file)
    {
        var (document, unreadable) = YamlDocument.Read(text, file, "one document with 'network:', 'nodes:', 'hosts:' and 'flows:'");
        if (document is null)
        {
            return new TopologyLoadResult(null, [unreadable!]);
        }
        var context = document.Context;
        document.RejectUnknown("network", "nodes", "hosts", "groups", "flows");
        var network = ReadNetwork(document.Map("network", required: true), context);
        var nodeDrafts = ReadNodes(document, network);
        var nodes = network is null ? nodeDrafts.ConvertAll(draft => draft.Node) : AssignAddresses(nodeDrafts, network, document);
        var hosts = ReadHosts(document, nodes);
        CheckNames(nodes, hosts, context);
        CheckOverridePeers(nodes, context);
        if (network is not null)
        {
            CheckShape(network, nodes, document);
            nodes = ResolveExits(nodeDrafts, nodes, network, context);
            CheckMappings(nodeDrafts, network, context);
            CheckCombinations(nodeDrafts, network, context);
        }
        var (flows, rules) = ReadFlows(document, nodes, hosts);
        if (context.HasErrors || network is null)
        {
            return new TopologyLoadResult(null, context.InFileOrder());
        }
        return new TopologyLoadResult(new Topology(network, nodes, hosts, flows, file) { FlowRules = rules }, []);
    }

    private static void CheckNames(IReadOnlyList<Node> nodes, IReadOnlyList<LanHost> hosts, YamlReadContext context)
    {
        var seen = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        var named = nodes.Select((node, index) => (node.Name, node.Location, Field: $"nodes[{index}].name"))
            .Concat(hosts.Select((host, index) => (host.Name, host.Location, Field: $"hosts[{index}].name")));
        foreach (var (name, location, field) in named)
        {
            if (seen.TryGetValue(name, out var first))
            {
                context.Error(location, field, $"duplicate name '{name}' (first defined at {first})", "names unique across nodes and hosts");
            }
            else
            {
                seen[name] = location;
            }
        }
    }
}
