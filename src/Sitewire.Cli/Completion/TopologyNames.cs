using System.CommandLine;
using System.CommandLine.Completions;
using Sitewire.Config.Topology;

namespace Sitewire.Cli.Completion;

/// <summary>
/// Host and node names for the options and arguments that take them, read from the topology the command line names,
/// else from the only topology file in the current directory. A topology that cannot be read or does not load gives
/// no names: completion never reports an error and never reads a file larger than a topology can sensibly be.
/// </summary>
internal static class TopologyNames
{
    public const long LargestTopologyBytes = 1024 * 1024;

    /// <summary>Hosts, then nodes, as trace's --from and --to resolve them.</summary>
    public static Func<CompletionContext, IEnumerable<CompletionItem>> HostsAndNodes(Symbol topology) =>
        context => Items(Of(CommandLineValue.Of(context.ParseResult, topology), Environment.CurrentDirectory) is { } loaded
            ? HostsAndNodesOf(loaded)
            : []);

    public static IEnumerable<string> HostsAndNodesOf(Topology topology) =>
        topology.Hosts.Select(host => host.Name).Concat(topology.Nodes.Select(node => node.Name));

    public static Func<CompletionContext, IEnumerable<CompletionItem>> Nodes(Symbol topology) =>
        context => Items(Of(CommandLineValue.Of(context.ParseResult, topology), Environment.CurrentDirectory) is { } loaded
            ? loaded.Nodes.Select(node => node.Name)
            : []);

    /// <summary>The topology at <paramref name="given"/>, or the only *.yaml/*.yml in <paramref name="workingDirectory"/>; null when there is none that loads.</summary>
    public static Topology? Of(string? given, string workingDirectory)
    {
        var path = given is null ? OnlyTopologyFileIn(workingDirectory) : Path.Combine(workingDirectory, given);
        if (path is null || !File.Exists(path) || new FileInfo(path).Length > LargestTopologyBytes)
        {
            return null;
        }
        var loaded = TopologyLoader.Load(path);
        return loaded.Succeeded ? loaded.Topology : null;
    }

    private static string? OnlyTopologyFileIn(string directory)
    {
        try
        {
            var candidates = PathCompletion.TopologyExtensions
                .SelectMany(extension => Directory.EnumerateFiles(directory, "*" + extension, new EnumerationOptions { IgnoreInaccessible = true, MatchCasing = MatchCasing.CaseSensitive }))
                .Take(2)
                .ToList();
            return candidates.Count == 1 ? candidates[0] : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static IEnumerable<CompletionItem> Items(IEnumerable<string> names) => names.Distinct(StringComparer.Ordinal).Select(name => new CompletionItem(name));
}
