using System.CommandLine;
using Sitewire.Cli.Outcome;
using Sitewire.Host.Lab;

namespace Sitewire.Cli.Lab;

/// <summary>`sitewire lab check [--lab ID]`: tries every flow of a kept lab again (after a live fix); exit 0 when every flow does what the topology declares.</summary>
internal static class LabCheckCommand
{
    public static Command Create()
    {
        var command = new Command("check", "Try every flow of a kept lab again (after a fix) (exit 0 every flow does what the topology declares, 1 some do not, 2 no such lab).");
        var lab = LabIdOption.AddTo(command, "the kept lab", acceptsIdArgument: true);
        command.Options.Add(LabJson.Option);
        command.SetAction(parse =>
        {
            var state = LabResolver.Find(lab.Value(parse));
            var results = LabFlows.Run(state, new LabOptions(LabEngineKind.WireguardGo));
            var json = parse.GetValue(LabJson.Option);
            var progress = json ? Console.Error : Console.Out;
            var met = FlowTable.Print(results, progress, againstIntent: true);
            if (json)
            {
                LabJson.Write(state, results);
            }
            progress.WriteLine($"[lab] {state.Id}: {results.Count(r => r.MeetsExpectation)} of {results.Count} flows do what the topology declares ({results.Count(r => r.Agrees)} as verify predicted before any live change)");
            return met ? ExitCode.Ok : ExitCode.Findings;
        });
        return command;
    }
}
