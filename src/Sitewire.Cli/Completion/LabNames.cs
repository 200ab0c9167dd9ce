using System.CommandLine;
using System.CommandLine.Completions;
using Sitewire.Cli.Lab;
using Sitewire.Host.Lab;

namespace Sitewire.Cli.Completion;

/// <summary>
/// Lab ids, and the hosts of the lab `lab exec` would enter (the --lab given, else the one it picks), from the labs'
/// state files; without a lab, the hosts and nodes of the topology in the current directory.
/// </summary>
internal static class LabNames
{
    public static IEnumerable<CompletionItem> Ids(CompletionContext context) =>
        AllReadable().Select(state => new CompletionItem(state.Id, detail: state.Name));

    public static Func<CompletionContext, IEnumerable<CompletionItem>> Hosts(Option<string?> lab) =>
        context => HostNames(AllReadable(), CommandLineValue.Of(context.ParseResult, lab), Environment.CurrentDirectory)
            .Select(name => new CompletionItem(name));

    /// <summary>The hosts of the lab <paramref name="id"/> (or the one `lab exec` picks without it) among <paramref name="states"/>.</summary>
    public static IEnumerable<string> HostNames(IReadOnlyList<LabState> states, string? id, string workingDirectory)
    {
        var state = id is null ? LabResolver.Default(states) : states.FirstOrDefault(s => s.Id == id);
        return state is not null
            ? state.Namespaces.Keys
            : TopologyNames.Of(null, workingDirectory) is { } topology ? TopologyNames.HostsAndNodesOf(topology) : [];
    }

    private static IReadOnlyList<LabState> AllReadable()
    {
        try
        {
            return LabState.All();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            return [];
        }
    }
}
