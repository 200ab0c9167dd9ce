using Sitewire.Planner.Model;

namespace Sitewire.Cli.Trace;

/// <summary>Human output of a path: one numbered line per hop, then the breakage and its fix.</summary>
internal static class TracePrinter
{
    public static void Print(TextWriter output, string title, PathTrace? path, string indent = "  ")
    {
        output.WriteLine($"{indent}{title}:");
        if (path is null)
        {
            output.WriteLine($"{indent}  (not sent: the request never arrived)");
            return;
        }
        for (var i = 0; i < path.Hops.Count; i++)
        {
            var hop = path.Hops[i];
            var interfaces = $"{(hop.InInterface is null ? "" : "in " + hop.InInterface)}{(hop.InInterface is not null && hop.OutInterface is not null ? ", " : "")}{(hop.OutInterface is null ? "" : "out " + hop.OutInterface)}";
            output.WriteLine($"{indent}  {i + 1,2}. {hop.Host} [{interfaces}] {hop.Packet}");
            output.WriteLine($"{indent}      {hop.Decision}");
        }
        if (path.Breakage is { } breakage)
        {
            output.WriteLine($"{indent}  BROKEN at {breakage.Host}: {breakage.Reason}");
            output.WriteLine($"{indent}  fix: {breakage.Fix}");
        }
    }
}
