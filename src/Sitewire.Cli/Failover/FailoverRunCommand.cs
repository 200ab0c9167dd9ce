using System.CommandLine;
using System.Runtime.InteropServices;
using Sitewire.Cli.Outcome;
using Sitewire.Host.Failover;

namespace Sitewire.Cli.Failover;

/// <summary>`sitewire failover run CONFIG`: runs the agent in the foreground until SIGTERM or SIGINT (systemd's unit runs it so).</summary>
internal static class FailoverRunCommand
{
    public static Command Create()
    {
        var config = FailoverCommand.ConfigArgument();
        var command = new Command("run", "Run the agent: probe each relay through its tunnel, move the carried prefixes with `wg set`, one log line per switch.");
        command.Arguments.Add(config);
        command.SetAction(parse => Run(parse.GetValue(config)!));
        return command;
    }

    private static int Run(string configPath)
    {
        var settings = FailoverCommand.Load(configPath);
        using var stop = new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        var agent = new FailoverAgent(settings, new PingRelayProbe(), new WgSetMover(settings), TimeProvider.System, Console.Out);
        agent.RunAsync(stop.Token).GetAwaiter().GetResult();
        Console.Out.WriteLine($"failover: stopped on {settings.Interface}");
        return ExitCode.Ok;

        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }
}
