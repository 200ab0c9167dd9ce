using System.CommandLine;
using Sitewire.Cli.Display;
using Sitewire.Cli.Outcome;
using Sitewire.Host.Lab;

namespace Sitewire.Cli.Lab;

/// <summary>`sitewire lab list`: the labs on this machine.</summary>
internal static class LabListCommand
{
    public static Command Create()
    {
        var command = new Command("list", "List the labs on this machine (exit 0).");
        command.SetAction(_ =>
        {
            var labs = LabState.All();
            if (labs.Count == 0)
            {
                Console.WriteLine("no labs on this machine (start one with `sitewire lab [TOPOLOGY] --keep`)");
            }
            foreach (var state in labs)
            {
                var status = state.Keep ? "kept" : state.OwnerIsRunning ? "running" : "abandoned";
                Console.WriteLine($"{state.Id}  {Shown.Name(state.Name)}  {status}  engine {state.Engine}  nodes {string.Join(", ", state.Tunnels.Keys)}");
            }
            return ExitCode.Ok;
        });
        return command;
    }
}
