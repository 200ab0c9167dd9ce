using Sitewire.E2E.Infrastructure;
using Sitewire.Host.Lab;
using Sitewire.Host.Linux;
using Sitewire.Planner.Layout;

namespace Sitewire.E2E.Lab;

/// <summary>
/// The NAT routers in front of nodes behind NAT run the rules verify evaluates for them (<see cref="StartingRuleset.OfNatRouter"/>):
/// read back from the router's namespace with `nft -j list ruleset`, every rule means exactly one planned value (the port
/// forward's dnat to the node's listen port, the masquerade out of the public side), and nothing else is there.
/// </summary>
[Collection(LabCollection.Name)]
public class NatRouterLabTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public void Each_nat_routers_live_rules_are_the_values_verify_evaluates()
    {
        var path = Path.Combine(RepositoryPaths.Root, "tests", "Sitewire.E2E", "Lab", "Topologies", "port-forward.yaml");
        var routers = PlannedLab.Load(path).Layout.Hosts.Where(h => h.Nat is not null).ToList();
        Assert.Equal(2, routers.Count);
        Assert.Contains(routers, r => r.Nat!.Forwards.Count == 1);

        var (exitCode, output) = CliRun.Run(Deadline, "lab", path, "--keep", "--engine", "sitewired");
        var id = CliRun.LabId(output);
        var processes = LabLeftovers.Snapshot(id);
        try
        {
            Assert.True(exitCode == 0, output);
            foreach (var router in routers)
            {
                var listed = CliRun.RunSeparately(Deadline, "lab", "exec", "--lab", id, router.Name, "--", "nft", "-j", "list", "ruleset");
                Assert.True(listed.ExitCode == 0, listed.StandardError);
                var live = NftJson.Parse(listed.StandardOutput);
                var planned = StartingRuleset.OfNatRouter(router.Nat!);

                Assert.All(planned.Rules, rule => Assert.Single(live.Rules, l => l.Means(rule)));
                Assert.Equal(planned.Rules.Count, live.Rules.Count);
            }
        }
        finally
        {
            var down = CliRun.Run(Deadline, "lab", "down", "--lab", id);
            Assert.True(down.ExitCode == 0, down.Output);
        }
        LabLeftovers.AssertNone(id, processes);
    }
}
