using System.CommandLine;
using Sitewire.Cli.Outcome;
using Sitewire.Host.Lab;

namespace Sitewire.Cli.Lab;

/// <summary>
/// `sitewire lab down [--lab ID | --all]`: removes a lab — the given one, else the only kept lab; with several kept labs it
/// names them and removes nothing, since another user's or test's lab may be among them. `--all` removes every lab.
/// Labs whose owner died (crashed, killed) are swept in every case.
/// </summary>
internal static class LabDownCommand
{
    public static Command Create()
    {
        var all = new Option<bool>("--all") { Description = "Remove every lab on this machine, running ones included." };
        var command = new Command("down", "Remove a lab: its processes, namespaces, links, sockets and files (exit 0 removed, 2 no such lab).");
        var lab = LabIdOption.AddTo(command, "the only kept lab", acceptsIdArgument: true);
        command.Options.Add(all);
        command.SetAction(parse =>
        {
            var labs = Chosen(lab.Value(parse), parse.GetValue(all));
            foreach (var state in labs)
            {
                LabTeardown.Remove(state, Console.WriteLine);
            }
            LabTeardown.RemoveAbandoned(Console.WriteLine);
            if (labs.Count == 0)
            {
                Console.WriteLine("[lab] no lab to remove");
            }
            return ExitCode.Ok;
        });
        return command;
    }

    private static IReadOnlyList<LabState> Chosen(string? wanted, bool all)
    {
        if (wanted is not null)
        {
            return [LabState.Load(wanted) ?? throw LabResolver.NoSuchLab(wanted)];
        }
        if (all)
        {
            return LabState.All();
        }
        var kept = LabState.All().Where(state => state.Keep).ToList();
        if (kept.Count <= 1)
        {
            return kept;
        }
        throw new RequestRefusedException($"{kept.Count} labs are kept ({string.Join(", ", kept.Select(s => $"{s.Id} ({s.Name})"))}): name one (`sitewire lab down --lab ID`), or remove every lab with --all");
    }
}
