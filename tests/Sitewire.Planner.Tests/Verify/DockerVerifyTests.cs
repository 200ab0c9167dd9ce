using Sitewire.Planner.Tests.Plan;
using Sitewire.Planner.Verify;

namespace Sitewire.Planner.Tests.Verify;

/// <summary>verify on Docker nodes: Docker's FORWARD policy DROP is modelled beside the OS family's firewall; the planned DOCKER-USER accepts open it.</summary>
public sealed class DockerVerifyTests
{
    private static VerifyReport Verify(string path) => Verifier.Verify(TopologyFixtures.PlanFile(path));

    [Fact]
    public void With_the_planned_docker_user_accepts_every_flow_of_the_docker_example_is_met()
    {
        var report = Verify(PlanFixtures.Example("docker.yaml"));

        Assert.All(report.Flows, f => Assert.True(f.Met, $"{f.Flow}: {f.Problem}"));
    }

    [Fact]
    public void Without_them_on_the_rhel_node_dockers_forward_policy_drops_every_flow_through_it_with_the_docker_user_fix()
    {
        var report = Verify(Path.Combine(PlanFixtures.Root, "tests", "Sitewire.E2E", "Lab", "Topologies", "docker-user-unplanned.yaml"));

        var failed = report.Flows.Where(f => !f.Met).ToList();
        Assert.Equal(["pad -> web:80/tcp (allow)", "desk -> nas:5000/tcp (allow)"], failed.Select(f => f.Flow.ToString()));
        Assert.All(failed, f => Assert.Contains("Docker's FORWARD policy is DROP and no rule in DOCKER-USER accepts", f.Problem, StringComparison.Ordinal));
        Assert.Contains(failed, f => f.Fix is { } fix && fix.StartsWith("on office: iptables -I DOCKER-USER -i wireguard0 -o ens33 -j ACCEPT", StringComparison.Ordinal));
    }
}
