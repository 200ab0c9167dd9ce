using Sitewire.Planner.Plan;
using Sitewire.Planner.Tests.Plan;

namespace Sitewire.Planner.Tests.Golden;

/// <summary>
/// `plan examples/seed.yaml` with fixed test keys, compared file by file with the reviewed output
/// under Golden/seed/. After an intended change, regenerate with SITEWIRE_UPDATE_GOLDEN=1, review the
/// diff by hand, and commit it.
/// </summary>
public sealed class SeedGoldenTests
{
    private static string GoldenDirectory => Path.Combine(PlanFixtures.Root, "tests", "Sitewire.Planner.Tests", "Golden", "seed");

    [Fact]
    public void The_seed_plan_matches_the_reviewed_golden_output()
    {
        using var temporary = new TemporaryDirectory();
        var seed = PlanFixtures.Example("seed.yaml");
        PlanFixtures.SeedKeys(temporary.Output, PlanFixtures.Load(seed));

        var diagnostics = PlanGenerator.Generate(seed, temporary.Output, new PlanRequest(Ansible: true));

        Assert.Empty(diagnostics);
        var actual = PlanFixtures.Snapshot(temporary.Output);
        if (Environment.GetEnvironmentVariable("SITEWIRE_UPDATE_GOLDEN") == "1")
        {
            if (Directory.Exists(GoldenDirectory))
            {
                Directory.Delete(GoldenDirectory, recursive: true);
            }
            foreach (var (path, content) in actual)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(GoldenDirectory, path))!);
                File.WriteAllBytes(Path.Combine(GoldenDirectory, path), content);
            }
        }
        PlanFixtures.AssertSameFiles(PlanFixtures.Snapshot(GoldenDirectory), actual);
    }
}
