using System.CommandLine;
using Sitewire.Cli.Completion;
using Sitewire.Cli.Outcome;

namespace Sitewire.Cli.Verify;

/// <summary>`--live DIR` of verify and trace: the nodes' snapshots (docs/snapshot.md) in place of the plan.</summary>
internal static class LiveOption
{
    public static Option<string?> Create(string what)
    {
        var option = new Option<string?>("--live")
        {
            HelpName = "DIR",
            Description = $"{what} on the deployed nodes instead of the plan: DIR holds one snapshot per node, NODE.json (`sitewire doctor --snapshot`, `sitewire lab snapshot`).",
        };
        option.CompletionSources.Add(PathCompletion.Directories());
        return option;
    }

    /// <summary>The directory, refused as unusable input when there is none.</summary>
    public static string Existing(string directory) =>
        Directory.Exists(directory) ? directory : throw new RequestRefusedException($"--live {directory}: no such directory", "--live");
}
