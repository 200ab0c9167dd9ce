using Sitewire.Cli.Display;
using Sitewire.Host.Lab;

namespace Sitewire.Cli.Lab;

/// <summary>Finds the lab a verb means: the given id, else the only (or newest kept) lab on the machine.</summary>
internal static class LabResolver
{
    public static LabState? Find(string? id)
    {
        if (id is not null)
        {
            var state = LabState.Load(id);
            if (state is null)
            {
                Console.Error.WriteLine($"sitewire lab: no lab '{Shown.Name(id)}' (labs: {Describe()})");
            }
            return state;
        }
        var all = LabState.All();
        if (all.Count == 0)
        {
            Console.Error.WriteLine("sitewire lab: no lab is running (start one with `sitewire lab --keep`)");
            return null;
        }
        return all.LastOrDefault(s => s.Keep) ?? all[^1];
    }

    public static string Describe()
    {
        var all = LabState.All();
        return all.Count == 0 ? "none" : string.Join(", ", all.Select(s => $"{s.Id} ({Shown.Name(s.Name)})"));
    }
}
