using Sitewire.Cli.Display;
using Sitewire.Planner.Model;

namespace Sitewire.Cli.Trace;

/// <summary>Human output of a path: one numbered line per hop (with its egress MTU when known), the path MTU, then the breakage and its fix.</summary>
internal static class TracePrinter
{
    public static void Print(TextWriter output, string title, PathTrace? path, DirectionMtu? mtu = null, string indent = "  ")
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
            var interfaces = $"{(hop.InInterface is null ? "" : "in " + Shown.Name(hop.InInterface))}{(hop.InInterface is not null && hop.OutInterface is not null ? ", " : "")}{(hop.OutInterface is null ? "" : "out " + Shown.Name(hop.OutInterface))}";
            output.WriteLine($"{indent}  {i + 1,2}. {Shown.Name(hop.Host)} [{interfaces}] {hop.Packet}");
            output.WriteLine($"{indent}      {Shown.Sentence(hop.Decision)}");
            if (mtu?.Hops[i] is { Mtu: not null } hopMtu)
            {
                output.WriteLine($"{indent}      {Shown.Sentence(hopMtu.ToString())}");
            }
        }
        if (mtu is not null)
        {
            output.WriteLine($"{indent}  path MTU {mtu.PathMtu}: {Shown.Sentence(mtu.Explanation)}");
        }
        if (path.Breakage is { } breakage)
        {
            output.WriteLine($"{indent}  BROKEN at {Shown.Name(breakage.Host)}: {Shown.Sentence(breakage.Reason)}");
            output.WriteLine($"{indent}  fix: {Shown.Sentence(breakage.Fix)}");
        }
    }
}
