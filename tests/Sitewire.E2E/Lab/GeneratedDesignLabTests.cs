using Sitewire.Config.Topology;
using Sitewire.E2E.Infrastructure;
using Sitewire.Planner.Tests.Properties;

namespace Sitewire.E2E.Lab;

/// <summary>
/// A few random designs the loader accepts, built for real: the lab's `ip` commands succeed on the kernel (what
/// BlueprintBuildPropertyTests checks against a model for hundreds of designs) and every flow runs. The designs are the
/// first seeds whose design loads and puts a host behind a LAN router, so the run is the same every time.
/// </summary>
[Collection(LabCollection.Name)]
public class GeneratedDesignLabTests
{
    private const int Designs = 3;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(180);

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 500).Where(LoadsWithARoutedHost).Take(Designs)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_generated_design_builds_in_the_lab_and_runs_its_flows(int seed)
    {
        using var directory = new TemporaryDirectory();
        var path = Path.Combine(directory.Path, $"design-{seed}.yaml");
        File.WriteAllText(path, new RandomLanDesign(seed).Yaml());

        var (_, output) = CliRun.Run(Deadline, "lab", path, "--engine", "wireguard-go");

        var id = CliRun.LabId(output);
        Assert.DoesNotContain("RTNETLINK", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Nexthop", output, StringComparison.Ordinal);
        Assert.DoesNotContain("exited", output, StringComparison.Ordinal);
        var summary = System.Text.RegularExpressions.Regex.Match(output, @"(\d+) of (\d+) flows as verify predicted");
        Assert.True(summary.Success && summary.Groups[1].Value == summary.Groups[2].Value, output);
        LabLeftovers.AssertNone(id, []);
    }

    private static bool LoadsWithARoutedHost(int seed)
    {
        var loaded = TopologyLoader.LoadText(new RandomLanDesign(seed).Yaml(), "design.yaml");
        return loaded.Succeeded && loaded.Topology.Hosts.Any(host =>
            loaded.Topology.FindNode(host.Site)?.Lan?.SegmentOf(host.Address) is { Via: not null });
    }
}
