using System.Globalization;
using Sitewire.Host.Lab;

namespace Sitewire.E2E.Lab;

/// <summary>
/// The long run behind scripts/verify-vs-lab.sh: <c>Designs</c> random designs from <c>Seed</c> on, one after another,
/// each line of progress appended to OUT/progress.log (the script shows it as it grows), each design that disagrees
/// written to OUT/design-SEED.yaml with its verdicts in OUT/design-SEED.txt, and the totals as the last line.
/// </summary>
internal sealed record VerifyVsLabRun(int Designs, int Seed, LabEngineKind Engine, string Output)
{
    public static VerifyVsLabRun? FromEnvironment()
    {
        var designs = Environment.GetEnvironmentVariable("SITEWIRE_VERIFY_VS_LAB_DESIGNS");
        if (string.IsNullOrEmpty(designs))
        {
            return null;
        }
        var seed = Environment.GetEnvironmentVariable("SITEWIRE_VERIFY_VS_LAB_SEED");
        var engine = Environment.GetEnvironmentVariable("SITEWIRE_VERIFY_VS_LAB_ENGINE");
        return new VerifyVsLabRun(
            int.Parse(designs, CultureInfo.InvariantCulture),
            string.IsNullOrEmpty(seed) ? Random.Shared.Next() : int.Parse(seed, CultureInfo.InvariantCulture),
            string.IsNullOrEmpty(engine) ? LabEngineKind.Sitewired : LabEngine.Parse(engine),
            Environment.GetEnvironmentVariable("SITEWIRE_VERIFY_VS_LAB_OUT") ?? Path.Combine(Path.GetTempPath(), "verify-vs-lab"));
    }

    public void Run()
    {
        Directory.CreateDirectory(Output);
        var log = Path.Combine(Output, "progress.log");
        var (flows, agreed, disagreeing) = (0, 0, new List<int>());
        var seed = Seed;
        Write(log, $"{Designs} designs from seed {Seed}, engine {Engine}");
        for (var design = 1; design <= Designs; design++)
        {
            var run = VerifyVsLab.Run(seed, Engine);
            flows += run.Results.Count;
            agreed += run.Agreed;
            var verdict = run.BuildFailure is not null ? "LAB DID NOT BUILD" : $"{run.Agreed} of {run.Results.Count} flows as verify predicted";
            if (!run.Agrees)
            {
                disagreeing.Add(run.Seed);
                File.WriteAllText(Path.Combine(Output, $"design-{run.Seed}.yaml"), run.Yaml);
                File.WriteAllText(Path.Combine(Output, $"design-{run.Seed}.txt"), run.Describe());
                verdict += $"  DISAGREES, see {Path.Combine(Output, $"design-{run.Seed}.txt")}";
            }
            Write(log, $"design {design}/{Designs} seed {run.Seed}: {verdict}");
            seed = unchecked(run.Seed + 1);
        }
        Write(log, $"verify-vs-lab: {Designs - disagreeing.Count} of {Designs} designs agree; {agreed} of {flows} flows as verify predicted"
            + (disagreeing.Count > 0 ? $"; disagreeing seeds: {string.Join(' ', disagreeing)}" : ""));
        Assert.Empty(disagreeing);
    }

    private static void Write(string log, string line) =>
        File.AppendAllText(log, string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss} {line}\n"));
}
