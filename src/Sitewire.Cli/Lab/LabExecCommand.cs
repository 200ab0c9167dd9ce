using System.CommandLine;
using System.Diagnostics;
using Sitewire.Cli.Completion;
using Sitewire.Cli.Outcome;
using Sitewire.Host.Lab;
using Sitewire.Text;

namespace Sitewire.Cli.Lab;

/// <summary>`sitewire lab exec [--lab ID] HOST -- COMMAND...`: runs a command inside a lab host, with the terminal attached.</summary>
internal static class LabExecCommand
{
    public static Command Create()
    {
        var host = new Argument<string>("host") { HelpName = "HOST", Description = "A node or LAN host of the lab." };
        var arguments = new Argument<string[]>("command") { Description = "The command and its arguments (after --).", Arity = ArgumentArity.OneOrMore };
        var command = new Command("exec", "Run a command inside a lab node or host (`sitewire` means this sitewire); exits with the command's exit code, 2 when there is no such lab or host.");
        var lab = LabIdOption.AddTo(command, "the kept lab", acceptsIdArgument: false);
        host.CompletionSources.Add(LabNames.Hosts(lab.Option));
        command.Arguments.Add(host);
        command.Arguments.Add(arguments);
        command.SetAction(parse =>
        {
            var state = LabResolver.Find(lab.Value(parse));
            var name = parse.GetValue(host)!;
            if (!state.Namespaces.ContainsKey(name))
            {
                throw new RequestRefusedException($"lab {state.Id} has no host '{name}'{DidYouMean.Hint(name, state.Namespaces.Keys)} (hosts: {string.Join(", ", state.Namespaces.Keys)})", "host");
            }
            var argv = parse.GetValue(arguments)!;
            if (argv[0] == "sitewire" && Environment.ProcessPath is { } self)
            {
                argv = [self, .. argv[1..]];
            }
            var line = LabExec.CommandLine(state, name, argv);
            var start = new ProcessStartInfo(line[0]) { UseShellExecute = false };
            foreach (var argument in line.Skip(1))
            {
                start.ArgumentList.Add(argument);
            }
            foreach (var (key, value) in state.EngineEnvironment)
            {
                start.Environment[key] = value;
            }
            using var process = Process.Start(start)!;
            process.WaitForExit();
            return process.ExitCode;
        });
        return command;
    }
}
