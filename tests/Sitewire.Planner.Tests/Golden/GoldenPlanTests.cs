using Sitewire.Planner.Plan;
using Sitewire.Planner.Tests.Plan;

namespace Sitewire.Planner.Tests.Golden;

/// <summary>
/// `plan examples/X.yaml` with fixed test keys, compared file by file with the reviewed output under Golden/X/:
/// seed (the open policy: Rocky relay, RHEL office, Ubuntu home) and policy (flows enforced: Ubuntu relay and home,
/// Rocky office, Debian branch, a phone), overlapping (three sites with one LAN prefix, two mapped with mapped_as), docker (nodes running Docker), clients (a README per client
/// device OS: android, ios, windows, macos, linux; DNS; two full-tunnel clients and their exit's masquerade; a route-only host). After an intended change, regenerate with SITEWIRE_UPDATE_GOLDEN=1, review
/// the diff by hand, and commit it.
/// </summary>
public sealed class GoldenPlanTests
{
    [Theory]
    [InlineData("seed")]
    [InlineData("policy")]
    [InlineData("overlapping")]
    [InlineData("docker")]
    [InlineData("clients")]
    public void The_plan_matches_the_reviewed_golden_output(string example)
    {
        var goldenDirectory = Path.Combine(PlanFixtures.Root, "tests", "Sitewire.Planner.Tests", "Golden", example);
        using var temporary = new TemporaryDirectory();
        var topologyFile = PlanFixtures.Example(example + ".yaml");
        PlanFixtures.SeedKeys(temporary.Output, PlanFixtures.Load(topologyFile));

        var diagnostics = PlanGenerator.Generate(topologyFile, temporary.Output, new PlanRequest(Ansible: true));

        Assert.Empty(diagnostics);
        var actual = PlanFixtures.Snapshot(temporary.Output);
        if (Environment.GetEnvironmentVariable("SITEWIRE_UPDATE_GOLDEN") == "1")
        {
            if (Directory.Exists(goldenDirectory))
            {
                Directory.Delete(goldenDirectory, recursive: true);
            }
            foreach (var (path, content) in actual)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(goldenDirectory, path))!);
                File.WriteAllBytes(Path.Combine(goldenDirectory, path), content);
            }
        }
        PlanFixtures.AssertSameFiles(PlanFixtures.Snapshot(goldenDirectory), actual);
    }
}
