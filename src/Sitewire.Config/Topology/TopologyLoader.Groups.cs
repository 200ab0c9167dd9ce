using Sitewire.Config.Yaml;
using Sitewire.Text;
using YamlDotNet.RepresentationModel;

namespace Sitewire.Config.Topology;

public static partial class TopologyLoader
{
    /// <summary>
    /// <c>groups:</c> — named lists of flow ends (<c>staff: [pad, phone, site:home]</c>) that a flow's <c>from</c> or
    /// <c>to</c> names in their place. A member is a host or node name or <c>site:NODE</c>; a group holds no groups.
    /// Group names follow node names' grammar and name no host or node.
    /// </summary>
    private static Dictionary<string, IReadOnlyList<FlowEnd>> ReadGroups(YamlMap document, IReadOnlyList<Node> nodes, IReadOnlyList<LanHost> hosts)
    {
        var groups = new Dictionary<string, IReadOnlyList<FlowEnd>>(StringComparer.Ordinal);
        if (document.Map("groups") is not { } section)
        {
            return groups;
        }
        foreach (var (keyNode, value) in section.Node.Children)
        {
            var name = (keyNode as YamlScalarNode)?.Value ?? "";
            var path = section.FieldPath(name);
            if (!NamePattern().IsMatch(name))
            {
                section.Context.Error(keyNode, path, $"'{name}' is not a valid group name", "a letter or digit, then up to 62 of a-z A-Z 0-9 _ -");
                continue;
            }
            if (NamedTarget.Find(hosts, nodes, name) is not null)
            {
                section.Context.Error(keyNode, path, $"group '{name}' has the name of a host or node", "a group name no host or node has");
                continue;
            }
            if (value is not YamlSequenceNode members || members.Children.Count == 0)
            {
                section.Context.Error(value, path, "a group is not a non-empty list", "a list of host or node names and site:NODE, e.g. [pad, site:home]");
                continue;
            }
            var ends = new List<FlowEnd>();
            foreach (var (member, index) in members.Children.Select((member, index) => (member, index)))
            {
                var memberPath = $"{path}[{index}]";
                if (member is not YamlScalarNode { Value: { } text } scalar || YamlMap.CoreType(scalar) is not null)
                {
                    section.Context.Error(member, memberPath, $"{YamlMap.Describe(member)} is not a group member", "a host or node name, or site:NODE");
                    continue;
                }
                if (ResolveEnd(section.Context, member, memberPath, text, nodes, hosts, groups: null) is { } resolved)
                {
                    ends.AddRange(resolved);
                }
            }
            groups[name] = ends;
        }
        return groups;
    }

    /// <summary>
    /// One written end: a host or node name, <c>site:NODE</c> (a node with a LAN and hosts on it) or, where
    /// <paramref name="groups"/> are given, a group name. Null after reporting what is wrong.
    /// </summary>
    private static IReadOnlyList<FlowEnd>? ResolveEnd(YamlReadContext context, YamlNode node, string path, string text,
        IReadOnlyList<Node> nodes, IReadOnlyList<LanHost> hosts, IReadOnlyDictionary<string, IReadOnlyList<FlowEnd>>? groups)
    {
        if (text.StartsWith(FlowEnd.SitePrefix, StringComparison.Ordinal))
        {
            var siteName = text[FlowEnd.SitePrefix.Length..];
            if (nodes.FirstOrDefault(candidate => candidate.Name == siteName) is not { } site)
            {
                context.Error(node, path, $"no node named '{siteName}'", "site:NODE with the name of a node that has a lan");
                return null;
            }
            if (site.Lan is null)
            {
                context.Error(node, path, $"node '{siteName}' has no lan", "site:NODE with the name of a node that has a lan");
                return null;
            }
            var siteHosts = hosts.Where(host => host.Site == siteName).ToList();
            if (siteHosts.Count == 0)
            {
                context.Error(node, path, $"site '{siteName}' has no hosts: verify and the lab try a site's flows from and to its hosts", $"a host with site: {siteName}, or the node's name");
                return null;
            }
            return [FlowEnd.OfSite(site, siteHosts)];
        }
        if (NamedTarget.Find(hosts, nodes, text) is { } named)
        {
            return [FlowEnd.OfNamed(named)];
        }
        if (groups is not null && groups.TryGetValue(text, out var group))
        {
            return group;
        }
        var known = nodes.Select(n => n.Name).Concat(hosts.Select(host => host.Name)).Concat(groups?.Keys ?? []);
        context.Error(node, path, (groups is { Count: > 0 } ? $"no host, node or group named '{text}'" : $"no host or node named '{text}'") + DidYouMean.Hint(text, known),
            groups is null ? "the name of a host or node, or site:NODE (a group holds no groups)" : "the name of a host, node or group, or site:NODE");
        return null;
    }
}
