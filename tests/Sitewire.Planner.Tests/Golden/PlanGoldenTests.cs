using Sitewire.Planner.Plan;
using Sitewire.Planner.Tests.Plan;

namespace Sitewire.Planner.Tests.Golden;

/// <summary>
/// `plan examples/NAME.yaml` with fixed test keys, compared file by file with the reviewed output under Golden/NAME/:
/// the seed, and the seed with Docker on both site nodes (docker.yaml: DOCKER-USER accepts with iptables on Ubuntu and on
/// RHEL beside firewalld). After an intended change, regenerate with SITEWIRE_UPDATE_GOLDEN=1, review the diff by hand,
/// and commit it.
/// </summary>
public sealed class PlanGoldenTests
{
    [Theory]
    [InlineData("seed")]
    [InlineData("docker")]
    public void The_plan_matches_the_reviewed_golden_output(string example)
    {
        var goldenDirectory = Path.Combine(PlanFixtures.Root, "tests", "Sitewire.Planner.Tests", "Golden", example);
        using var temporary = new TemporaryDirectory();
        var topologyPath = PlanFixtures.Example(example + ".yaml");
        PlanFixtures.SeedKeys(temporary.Output, PlanFixtures.Load(topologyPath));

        var diagnostics = PlanGenerator.Generate(topologyPath, temporary.Output, new PlanOptions(Ansible: true));

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
