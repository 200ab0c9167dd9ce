using Sitewire.Config.Diagnostics;
using Sitewire.Config.Topology;
using Sitewire.Planner.Keys;

namespace Sitewire.Planner.Plan;

/// <summary>
/// <c>sitewire plan</c> end to end: load the topology, take the options OUT was planned with for those not asked for,
/// refuse a change that would lose kept keys unless asked to, provision keys (keeping those of OUT, or of
/// <see cref="PlanRequest.KeysFrom"/>), plan, build every output file in memory, then swap OUT in one step. Returns
/// the diagnostics when the input is unusable; OUT is then untouched. <paramref name="note"/> hears what plan
/// reused and when it made new keys for every node.
/// </summary>
public static class PlanGenerator
{
    public static IReadOnlyList<Diagnostic> Generate(string topologyPath, string outputDirectory, PlanRequest request, Action<string>? note = null)
    {
        var loaded = TopologyLoader.Load(topologyPath);
        if (!loaded.Succeeded)
        {
            return loaded.Diagnostics;
        }
        try
        {
            var stored = Directory.Exists(outputDirectory) ? PlanSettings.Read(outputDirectory) : null;
            var options = request.Resolve(stored);
            if (stored is not null)
            {
                var losses = request.KeyLosses(outputDirectory, stored, options).ToList();
                if (losses.Count > 0)
                {
                    return losses;
                }
                if (request.Reused(stored).ToList() is { Count: > 0 } reused)
                {
                    note?.Invoke($"reusing the options this directory was planned with: {string.Join(' ', reused)}");
                }
            }
            var keySource = request.KeysFrom ?? (stored is null ? null : outputDirectory);
            if (request.KeysFrom is { } from && PlanSettings.Read(from) is null)
            {
                return [new Diagnostic(SourceLocation.None(from), "--keys-from", "not the output of an earlier `sitewire plan`", "a plan output directory (it holds .sitewire-plan)")];
            }
            var keys = KeyProvisioner.Provision(loaded.Topology, options, keySource);
            var plan = NetworkPlanner.Plan(loaded.Topology, options, keys);
            PlanDirectoryWriter.Write(outputDirectory, PlanOutputBuilder.Build(plan, keys));
            var central = loaded.Topology.Nodes.Where(node => node.KeyModeUnder(options.Keys) == KeyMode.Central).Select(node => node.Name).ToList();
            if (keySource is null && central.Count > 0)
            {
                var which = central.Count == loaded.Topology.Nodes.Count ? $"all {central.Count} nodes" : string.Join(", ", central);
                note?.Invoke($"new keys for {which} (a new output directory; to keep the keys of an earlier plan, use --keys-from DIR)");
            }
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
