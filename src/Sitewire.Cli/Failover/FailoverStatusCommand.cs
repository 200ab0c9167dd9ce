using System.CommandLine;
using Sitewire.Cli.Display;
using Sitewire.Cli.Outcome;
using Sitewire.Host.Failover;
using Sitewire.Tunnel.Metrics;

namespace Sitewire.Cli.Failover;

/// <summary>
/// `sitewire failover status CONFIG`: the relay that carries the traffic and each relay's health, from the agent's state
/// file. Exit 0 when the agent's state is fresh and its preferred relay carries the traffic, 1 otherwise.
/// </summary>
internal static class FailoverStatusCommand
{
    /// <summary>Probe rounds a state file may miss before the agent is taken for not running.</summary>
    private const int StaleAfterRounds = 5;

    public static Command Create()
    {
        var config = FailoverCommand.ConfigArgument();
        var json = new Option<bool>("--json") { Description = "Machine-readable output: the state file as the agent wrote it." };
        var metrics = new Option<bool>("--metrics") { Description = "Prometheus text: switches, the active relay, each relay's health." };
        var command = new Command("status", "Show which relay carries the traffic, each relay's health and the last switch.");
        command.Arguments.Add(config);
        command.Options.Add(json);
        command.Options.Add(metrics);
        command.SetAction(parse => Run(parse.GetValue(config)!, parse.GetValue(json), parse.GetValue(metrics)));
        return command;
    }

    private static int Run(string configPath, bool json, bool metrics)
    {
        var settings = FailoverCommand.Load(configPath);
        var status = File.Exists(settings.StateFile) ? FailoverStatus.FromJson(File.ReadAllText(settings.StateFile)) : null;
        if (status is null)
        {
            throw new RequestRefusedException($"no agent state at {settings.StateFile}: is `sitewire failover run {configPath}` running?", "config");
        }
        var stale = DateTimeOffset.UtcNow - status.Updated > settings.Timings.ProbeInterval * StaleAfterRounds;
        if (metrics)
        {
            FailoverMetrics.Write(new PrometheusTextWriter(Console.Out), status);
        }
        else if (json)
        {
            Console.WriteLine(status.ToJson());
        }
        else
        {
            Console.WriteLine($"sitewire failover: {Shown.Name(status.Interface)}: {Shown.Name(status.Active)} carries the traffic{(stale ? $" (state from {status.Updated:O}: the agent is not running)" : "")}");
            foreach (var relay in status.Relays)
            {
                var health = relay.Up ? "up  " : "DOWN";
                var answer = relay.LastAnswer is { } last ? $"last answer {last:O}" : "never answered";
                Console.WriteLine($"  {health}  {Shown.Name(relay.Name)}: {relay.Misses} unanswered in a row, {answer}");
            }
            Console.WriteLine($"switches: {status.Switches}{(status.LastSwitch is { } switched ? $", last {Shown.Sentence(switched)}" : "")}");
        }
        return !stale && status.Active == settings.Relays[0].Name ? ExitCode.Ok : ExitCode.Findings;
    }
}
