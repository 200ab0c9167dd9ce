using Sitewire.Planner.Verify;

namespace Sitewire.Planner.Tests.Verify;

/// <summary>The shipped examples, verified as `sitewire verify examples/X.yaml` does.</summary>
public class ExampleVerifyTests
{
    private static VerifyReport Verify(string example) => Verifier.Verify(TopologyFixtures.PlanFile(TopologyFixtures.Example(example)));

    [Theory]
    [InlineData("seed.yaml")]
    [InlineData("mesh.yaml")]
    [InlineData("roadwarrior.yaml")]
    [InlineData("dualstack.yaml")]
    [InlineData("two-relays.yaml")]
    [InlineData("clients.yaml")]
    public void Working_examples_pass(string example)
    {
        var report = Verify(example);

        Assert.True(report.Passed, string.Join("; ", report.Findings.Select(f => f.ToString()).Concat(report.Flows.Where(f => !f.Met).Select(f => $"{f.Flow}: {f.Problem}"))));
    }

    [Fact]
    public void Seed_broken_fails_on_the_reply_to_the_home_lan_and_names_office_masquerade()
    {
        var report = Verify("seed-broken.yaml");

        Assert.False(report.Passed);
        var broken = Assert.Single(report.Flows, f => !f.Met);
        Assert.Equal("web", broken.Flow.To.Name);
        Assert.Equal("return", broken.Trace!.BrokenDirection);
        Assert.Contains("no route for the reply from 172.17.50.1 to 192.168.3.50", broken.Problem, StringComparison.Ordinal);
        Assert.Contains("add masquerade on office:ens33", broken.Fix, StringComparison.Ordinal);
        Assert.Contains(report.Findings, f => f.Code == "routed-without-route-back" && f.Node == "office");
    }

    [Fact]
    public void Seed_copypaste_reports_the_duplicate_address_and_the_flow_that_lands_on_the_wrong_node()
    {
        var report = Verify("seed-copypaste.yaml");

        Assert.Contains(report.Findings, f => f.Code == "duplicate-overlay-address" && f.Message.Contains("192.168.200.2", StringComparison.Ordinal));
        Assert.Contains(report.Flows, f => !f.Met && f.Flow.To.Name == "office" && f.Problem!.Contains("reach home, not office", StringComparison.Ordinal));
    }
}
