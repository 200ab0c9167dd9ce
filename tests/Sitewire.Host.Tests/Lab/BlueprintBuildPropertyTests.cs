using CsCheck;
using Sitewire.Config.Topology;
using Sitewire.Host.Lab;
using Sitewire.Planner.Tests.Properties;
using Sitewire.Planner.Tests.Verify;

namespace Sitewire.Host.Tests.Lab;

/// <summary>
/// Any topology the loader accepts builds in the lab: its blueprint's `ip` commands pass the kernel's checks
/// (<see cref="KernelNetworkModel"/>), over the random designs of the planner's properties. A topology no real network
/// could be built from is the loader's to refuse, with a position; the lab never meets it.
/// </summary>
public class BlueprintBuildPropertyTests
{
    [Fact]
    public void Every_varied_lan_design_the_loader_accepts_builds()
    {
        var accepted = 0;
        RandomLanDesign.Gen.Sample(design =>
        {
            if (AssertBuilds(design.Yaml(), design.ToString()))
            {
                Interlocked.Increment(ref accepted);
            }
        }, iter: 300);
        Assert.True(accepted > 100, $"only {accepted} of 300 designs loaded: the generator exercises too little of what loads");
    }

    [Fact]
    public void Every_hub_or_mesh_design_builds() =>
        RandomDesign.Gen.Sample(design => Assert.True(AssertBuilds(design.Yaml(), design.Yaml())), iter: 100);

    [Fact]
    public void Every_random_topology_with_hosts_and_flows_builds()
    {
        for (var seed = 0; seed < 60; seed++)
        {
            var yaml = new RandomTopology(seed, 1 + seed % 5).Yaml(seed);
            Assert.True(AssertBuilds(yaml, yaml));
        }
    }

    /// <summary>False when the loader refuses the text; otherwise asserts that the lab's blueprint of it builds.</summary>
    private static bool AssertBuilds(string yaml, string description)
    {
        var loaded = TopologyLoader.LoadText(yaml, "random.yaml");
        if (!loaded.Succeeded)
        {
            return false;
        }
        var errors = KernelNetworkModel.Errors(PlannedLab.From(loaded.Topology).Blueprint);
        Assert.True(errors.Count == 0, $"{description}\n{string.Join('\n', errors)}");
        return true;
    }
}
