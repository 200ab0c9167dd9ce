using System.Text;
using Sitewire.Config.Topology;
using Sitewire.Host.Lab;
using Sitewire.Planner.Tests.Properties;

namespace Sitewire.E2E.Lab;

/// <summary>
/// One random design (<see cref="RandomLanDesign"/>) through verify and the lab: the design of the first seed from the
/// given one that the loader accepts (the generator makes some wrong choices on purpose), planned and verified in
/// memory, built in network namespaces, every flow tried; the lab's verdict per flow against verify's prediction.
/// Used by <see cref="VerifyVsLabTests"/> (a few seeds per run) and by `scripts/verify-vs-lab.sh` (hundreds).
/// </summary>
internal sealed record VerifyVsLab(int Seed, string Yaml, IReadOnlyList<LabFlowResult> Results, string? BuildFailure)
{
    private const int SeedsTried = 1000;

    public int Agreed => Results.Count(r => r.Agrees);

    public bool Agrees => BuildFailure is null && Agreed == Results.Count;

    /// <summary>The first seed at or after <paramref name="seed"/> whose design loads.</summary>
    public static (int Seed, Topology Topology, string Yaml) Design(int seed)
    {
        for (var tried = 0; tried < SeedsTried; tried++, seed = unchecked(seed + 1))
        {
            var yaml = new RandomLanDesign(seed).Yaml();
            var loaded = TopologyLoader.LoadText(yaml, $"design-{seed}.yaml");
            if (loaded.Succeeded)
            {
                return (seed, loaded.Topology, yaml);
            }
        }
        throw new InvalidOperationException($"no design from seed {seed - SeedsTried} on loads within {SeedsTried} seeds");
    }

    /// <summary>Builds the design of <paramref name="seed"/> (or the next that loads) in a lab and runs its flows.</summary>
    public static VerifyVsLab Run(int seed, LabEngineKind engine, Action<string>? log = null)
    {
        var (used, topology, yaml) = Design(seed);
        var planned = PlannedLab.From(topology);
        var progress = new StringBuilder();
        try
        {
            using var lab = LabSession.Start(planned.Blueprint, new LabOptions(engine), line =>
            {
                lock (progress)
                {
                    progress.AppendLine(line);
                }
                log?.Invoke(line);
            });
            return new VerifyVsLab(used, yaml, lab.RunFlows(), null);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return new VerifyVsLab(used, yaml, [], $"{exception.GetType().Name}: {exception.Message}\n{progress}");
        }
    }

    /// <summary>Each flow's verdicts, the seed, and the design as a file `sitewire lab FILE` reproduces.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine($"seed {Seed}: {(BuildFailure is null ? $"{Agreed} of {Results.Count} flows as verify predicted" : "the lab did not build")}");
        if (BuildFailure is not null)
        {
            text.AppendLine(BuildFailure);
        }
        foreach (var result in Results)
        {
            text.AppendLine($"  {(result.Agrees ? "ok      " : "MISMATCH")} {result.Flow.Name}: verify {result.Flow.Prediction}; lab {result.Outcome.Detail}");
        }
        text.AppendLine($"--- design-{Seed}.yaml (reproduce: sudo ./sitewire lab design-{Seed}.yaml) ---");
        text.Append(Yaml);
        return text.ToString();
    }
}
