using Sitewire.Planner.Verify;

namespace Sitewire.Planner.Tests.Verify;

/// <summary>verify with two relays: every flow again with each relay down, as the sites' failover agents leave the configs.</summary>
public sealed class FailureStateVerifyTests
{
    private static VerifyReport Verify(Func<string, string>? edit = null)
    {
        var path = TopologyFixtures.Example("two-relays.yaml");
        return TopologyFixtures.VerifyText(edit is null ? File.ReadAllText(path) : edit(File.ReadAllText(path)));
    }

    [Fact]
    public void Every_flow_of_the_example_holds_with_either_relay_down_through_the_other()
    {
        var report = Verify();

        Assert.True(report.Passed);
        Assert.Equal(["relay-a", "relay-b"], report.FailureStates.Select(state => state.DownRelay));
        Assert.All(report.FailureStates, state => Assert.All(state.Flows, flow => Assert.True(flow.Met, $"{state.DownRelay} down: {flow.Flow}: {flow.Problem}")));
        Assert.DoesNotContain(report.Findings, finding => finding.Code == "holds-only-while-relay-up");
        var padToWeb = (Func<FailureState, FlowResult>)(state => state.Flows.Single(flow => flow.Flow.To.Name == "web"));
        Assert.Contains(padToWeb(report.FailureStates[0]).ForwardHops, hop => hop.Host == "relay-b");
        Assert.DoesNotContain(padToWeb(report.FailureStates[0]).ForwardHops, hop => hop.Host == "relay-a");
        Assert.Contains(padToWeb(report.FailureStates[1]).ForwardHops, hop => hop.Host == "relay-a");
        Assert.Contains(report.Flows.Single(flow => flow.Flow.To.Name == "web").ForwardHops, hop => hop.Host == "relay-a");
    }

    [Fact]
    public void A_flow_to_one_relay_is_reported_as_holding_only_while_that_relay_is_up()
    {
        var report = Verify(text => text.Replace("flows:\n", "flows:\n  - from: pad\n    to: relay-a\n", StringComparison.Ordinal));

        var finding = Assert.Single(report.Findings, finding => finding.Code == "holds-only-while-relay-up");
        Assert.Equal((Severity.Warning, "relay-a"), (finding.Severity, finding.Node));
        Assert.StartsWith("pad -> relay-a (allow) holds only while relay-a is up: with relay-a down ", finding.Message, StringComparison.Ordinal);
        Assert.True(report.Passed);
        Assert.False(report.FailureStates[0].Flows[0].Met);
        Assert.True(report.FailureStates[1].Flows[0].Met);
    }

    [Fact]
    public void A_single_relay_has_no_failure_states()
    {
        var report = Verifier.Verify(TopologyFixtures.PlanFile(TopologyFixtures.Example("seed.yaml")));

        Assert.Empty(report.FailureStates);
    }
}
