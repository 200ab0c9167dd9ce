using System.CommandLine;
using Sitewire.Cli.Completion;
using Sitewire.Cli.Outcome;
using Sitewire.Host.Lab;

namespace Sitewire.Cli.Lab;

/// <summary>`sitewire lab snapshot [--lab ID] [--out DIR]`: every node's `sitewire doctor --snapshot`, as DIR/NODE.json for `verify --live`.</summary>
internal static class LabSnapshotCommand
{
    public static Command Create()
    {
        var output = new Option<string?>("--out") { HelpName = "DIR", Description = "Where to write NODE.json per node (default: lab-ID-snapshots in the current directory)." };
        output.CompletionSources.Add(PathCompletion.Directories());
        var command = new Command("snapshot", "Take every node's live state (`sitewire doctor --snapshot`) into DIR/NODE.json, for `sitewire verify TOPOLOGY --live DIR` (exit 0 written, 2 no such lab).");
        var lab = LabIdOption.AddTo(command, "the kept lab", acceptsIdArgument: false);
        command.Options.Add(output);
        command.SetAction(parse =>
        {
            var state = LabResolver.Find(lab.Value(parse));
            var directory = parse.GetValue(output) ?? $"lab-{state.Id}-snapshots";
            var sitewire = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this sitewire is unknown");
            foreach (var path in LabSnapshots.Collect(state, sitewire, directory))
            {
                Console.WriteLine($"[lab] {state.Id}: snapshot {path}");
            }
            Console.WriteLine($"[lab] {state.Id}: prove the flows on them: sitewire verify TOPOLOGY --live {directory}");
            return ExitCode.Ok;
        });
        return command;
    }
}
