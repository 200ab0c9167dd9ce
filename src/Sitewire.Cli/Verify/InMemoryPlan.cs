using Sitewire.Config.Diagnostics;
using Sitewire.Config.Topology;
using Sitewire.Planner.Plan;
using Sitewire.Planner.Verify;

namespace Sitewire.Cli.Verify;

/// <summary>Loads a topology and plans it in memory (throwaway keys, nothing written), for verify and trace.</summary>
internal static class InMemoryPlan
{
    /// <summary>The plan, or null after printing the loader's or planner's diagnostics (file:line:col) to stderr.</summary>
    public static NetworkPlan? Load(string path, string verb)
    {
        var loaded = TopologyLoader.Load(path);
        if (!loaded.Succeeded)
        {
            Report(verb, loaded.Diagnostics);
            return null;
        }
        try
        {
            return NetworkPlanner.Plan(loaded.Topology, new PlanOptions(), VerifyKeys.For(loaded.Topology));
        }
        catch (DiagnosticsException exception)
        {
            Report(verb, exception.Diagnostics);
            return null;
        }
    }

    private static void Report(string verb, IReadOnlyList<Diagnostic> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
        {
            Console.Error.WriteLine(diagnostic);
        }
        Console.Error.WriteLine($"sitewire {verb}: the topology is not usable ({diagnostics.Count} error{(diagnostics.Count == 1 ? "" : "s")})");
    }
}
