using System.CommandLine;
using Sitewire.Host.Lab;

namespace Sitewire.Cli.Lab;

/// <summary>`sitewire lab down [ID]`: removes a lab (default: every lab on this machine), crashed ones included.</summary>
internal static class LabDownCommand
{
    public static Command Create()
    {
        var id = new Argument<string?>("id") { Description = "The lab id (default: all labs).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("down", "Remove a lab: its processes, namespaces, links, sockets and files.");
        command.Arguments.Add(id);
        command.SetAction(parse =>
        {
            var wanted = parse.GetValue(id);
            if (wanted is not null && LabState.Load(wanted) is null)
            {
                Console.Error.WriteLine($"sitewire lab down: no lab '{wanted}' (labs: {LabResolver.Describe()})");
                return 1;
            }
            var labs = wanted is null ? LabState.All() : [LabState.Load(wanted)!];
            foreach (var state in labs)
            {
                LabTeardown.Remove(state, Console.WriteLine);
            }
            LabTeardown.RemoveAbandoned(Console.WriteLine);
            if (labs.Count == 0)
            {
                Console.WriteLine("[lab] no lab to remove");
            }
            return 0;
        });
        return command;
    }
}
