using Sitewire.Cli.Outcome;
using Sitewire.Host.Lab;

namespace Sitewire.Cli.Lab;

/// <summary>Finds the lab a verb means: the given id, else the only (or newest kept) lab on the machine.</summary>
internal static class LabResolver
{
    /// <summary>The lab; throws <see cref="RequestRefusedException"/> when there is no such lab or none at all.</summary>
    public static LabState Find(string? id)
    {
        if (id is not null)
        {
            return LabState.Load(id) ?? throw NoSuchLab(id);
        }
        var all = LabState.All();
        if (all.Count == 0)
        {
            throw new RequestRefusedException("no lab is running (start one with `sitewire lab --keep`)");
        }
        return Default(all)!;
    }

    /// <summary>The lab a verb means when it names none: the newest kept lab, else the newest; null when there is none.</summary>
    public static LabState? Default(IReadOnlyList<LabState> all) => all.LastOrDefault(s => s.Keep) ?? all.LastOrDefault();

    public static RequestRefusedException NoSuchLab(string id) => new($"no lab '{id}' (labs: {Describe()})");

    private static string Describe()
    {
        var all = LabState.All();
        return all.Count == 0 ? "none" : string.Join(", ", all.Select(s => $"{s.Id} ({s.Name})"));
    }
}
