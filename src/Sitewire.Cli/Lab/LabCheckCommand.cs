using System.CommandLine;
using Sitewire.Host.Lab;

namespace Sitewire.Cli.Lab;

/// <summary>`sitewire lab check [ID]`: tries every flow of a kept lab again (after a fix) and compares with verify.</summary>
internal static class LabCheckCommand
{
    public static Command Create()
    {
        var id = new Argument<string?>("id") { Description = "The lab id (default: the kept lab).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("check", "Try every flow of a kept lab again; exit 0 when all match verify's predictions.");
        command.Arguments.Add(id);
        command.SetAction(parse =>
        {
            var state = LabResolver.Find(parse.GetValue(id));
            if (state is null)
            {
                return 2;
            }
            var results = LabFlows.Run(state, new LabOptions(LabEngineKind.WireguardGo));
            var agree = FlowTable.Print(results, Console.Out);
            Console.WriteLine($"[lab] {state.Id}: {results.Count(r => r.Agrees)} of {results.Count} flows as verify predicted");
            return agree ? 0 : 1;
        });
        return command;
    }
}
