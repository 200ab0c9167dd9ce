using System.CommandLine;
using Sitewire.Cli.Completion;
using Sitewire.Config.Diagnostics;
using Sitewire.Config.Failover;

namespace Sitewire.Cli.Failover;

/// <summary>`sitewire failover run|status CONFIG`: the agent that moves a site's traffic between relays (docs/failover.md).</summary>
internal static class FailoverCommand
{
    public static Command Create()
    {
        var command = new Command("failover", "The failover agent of a node that peers with several relays: moves the traffic to the relay that answers.");
        command.Subcommands.Add(FailoverRunCommand.Create());
        command.Subcommands.Add(FailoverStatusCommand.Create());
        return command;
    }

    public static Argument<string> ConfigArgument()
    {
        var config = new Argument<string>("config") { Description = "The agent's configuration (plan writes NODE/sitewire-failover.conf)." };
        config.CompletionSources.Add(PathCompletion.Files([".conf", ".yaml"]));
        return config;
    }

    public static FailoverSettings Load(string path)
    {
        var loaded = FailoverConfigLoader.Load(path);
        return loaded.Succeeded ? loaded.Settings : throw new DiagnosticsException(loaded.Diagnostics);
    }
}
