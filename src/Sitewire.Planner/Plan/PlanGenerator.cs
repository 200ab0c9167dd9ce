using Sitewire.Config.Diagnostics;
using Sitewire.Config.Topology;
using Sitewire.Planner.Keys;

namespace Sitewire.Planner.Plan;

/// <summary>
/// <c>sitewire plan</c> end to end: load the topology, provision keys (keeping those of an earlier
/// output in OUT), plan, build every output file in memory, then swap OUT in one step. Returns
/// the diagnostics when the input is unusable; OUT is then untouched.
/// </summary>
public static class PlanGenerator
{
    public static IReadOnlyList<Diagnostic> Generate(string topologyPath, string outputDirectory, PlanOptions options)
    {
        var loaded = TopologyLoader.Load(topologyPath);
        if (!loaded.Succeeded)
        {
            return loaded.Diagnostics;
        }
        try
        {
            var previous = Directory.Exists(outputDirectory) ? outputDirectory : null;
            var keys = KeyProvisioner.Provision(loaded.Topology, options, previous);
            var plan = NetworkPlanner.Plan(loaded.Topology, options, keys);
            PlanDirectoryWriter.Write(outputDirectory, PlanOutputBuilder.Build(plan, keys));
            return [];
        }
        catch (DiagnosticsException exception)
        {
            return exception.Diagnostics;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return [new Diagnostic(SourceLocation.None(outputDirectory), "-o", exception.Message, "a writable output directory")];
        }
    }
}
