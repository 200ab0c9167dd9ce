using Sitewire.Config.Diagnostics;
using Sitewire.Config.Input;
using Sitewire.Config.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

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
        if (YamlCharacters.FirstDisallowed(text, file) is { } disallowed)
        {
            return new TopologyLoadResult(null, [disallowed]);
        }
        var context = new YamlReadContext(file);
        var stream = new YamlStream();
        var parser = new BoundedYamlParser(new Parser(new StringReader(text)), file);
        try
        {
            stream.Load(parser);
        }
        catch (YamlException) when (parser.Violation is { } violation)
        {
            return new TopologyLoadResult(null, [violation]);
        }
        catch (YamlException exception)
        {
            var location = new SourceLocation(file, (int)exception.Start.Line, (int)exception.Start.Column);
            var message = exception.InnerException?.Message ?? exception.Message;
            return new TopologyLoadResult(null, [new Diagnostic(location, "(yaml)", message, "well-formed YAML")]);
        }
        catch (InvalidOperationException)
        {
            var location = LastWellFormedPosition(text, file);
            return new TopologyLoadResult(null, [new Diagnostic(location, "(yaml)", "the YAML cannot be read past this point", "well-formed YAML")]);
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            var node = stream.Documents.Count > 0 ? stream.Documents[0].RootNode : null;
            var location = node is null ? new SourceLocation(file, 1, 1) : context.LocationOf(node);
            return new TopologyLoadResult(null, [new Diagnostic(location, "(root)", "the file is not one YAML mapping", "one document with 'network:', 'nodes:', 'hosts:' and 'flows:'")]);
        }
        var document = new YamlMap(root, "", context);
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
            CheckMappings(nodeDrafts, network, context);
        }
        var (flows, rules) = ReadFlows(document, nodes, hosts);
        if (context.HasErrors || network is null)
        {
            return new TopologyLoadResult(null, [.. context.Diagnostics.OrderBy(diagnostic => diagnostic.Location.Line).ThenBy(diagnostic => diagnostic.Location.Column)]);
        }
        return new TopologyLoadResult(new Topology(network, nodes, hosts, flows, file) { FlowRules = rules }, []);
    }

    /// <summary>Where the YAML parser last succeeded, for errors YamlDotNet raises without a position.</summary>
    private static SourceLocation LastWellFormedPosition(string text, string file)
    {
        var parser = new Parser(new StringReader(text));
        var last = new SourceLocation(file, 1, 1);
        try
        {
            while (parser.MoveNext())
            {
                last = new SourceLocation(file, (int)parser.Current!.End.Line, (int)parser.Current.End.Column);
            }
        }
        catch (Exception exception) when (exception is YamlException or InvalidOperationException or ArgumentException)
        {
            return last;
        }
        return last;
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
