using Sitewire.E2E.Infrastructure;
using Sitewire.Host.Lab;
using Xunit.Abstractions;

namespace Sitewire.E2E.Lab;

/// <summary>
/// examples/two-relays.yaml for real, with `sitewire failover run` on both sites: every flow passes with both relays up,
/// through relay-b while relay-a is cut off, and through relay-a again after its hold-down. A ping from pad to web every
/// 100 ms measures the switch-over (relay-a cut off → first reply through relay-b) and what each switch lost; the test
/// prints them and asserts only that traffic resumes within a bound. A TCP connection from pad to web sends a known
/// stream across the switch; the server's SHA-256 of what it received must match.
/// </summary>
[Collection(LabCollection.Name)]
public class FailoverLabTests(ITestOutputHelper output)
{
    private static readonly TimeSpan SwitchBound = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan ReturnBound = TimeSpan.FromSeconds(40);

    [Theory]
    [InlineData(LabEngineKind.Sitewired)]
    [InlineData(LabEngineKind.WireguardGo)]
    public void Traffic_moves_to_the_second_relay_when_the_first_is_cut_off_and_back_after_the_hold_down(LabEngineKind engine)
    {
        var planned = PlannedLab.Load(Path.Combine(RepositoryPaths.Examples, "two-relays.yaml"));
        Assert.True(planned.Verification.Passed);
        using var lab = new LoggedLab(planned.Blueprint, new LabOptions(engine));
        var state = lab.Session.State;
        using var agents = new FailoverAgents(state, planned.Plan);
        Assert.Equal(["home", "office"], agents.Nodes.Order(StringComparer.Ordinal));
        agents.AwaitActive("relay-a", TimeSpan.FromSeconds(15));
        AssertFlowsPass(lab, "both relays up", agents);

        using var ping = new ContinuousPing(state, "pad", "172.17.50.1", TimeSpan.FromSeconds(150));
        Assert.True(ping.FirstReplyAfter(DateTimeOffset.UtcNow, TimeSpan.FromSeconds(10)) is not null, "pad gets no echo reply from web with both relays up");
        using var transfer = new TcpTransfer(state, "pad", "web", "172.17.50.1", 5001, TimeSpan.FromSeconds(12));
        Thread.Sleep(TimeSpan.FromSeconds(2));
        var outage = new RelayOutage(state, "relay-a");
        var cutOff = outage.CutOff();
        agents.AwaitActive("relay-b", SwitchBound);
        var resumed = ping.FirstReplyAfter(cutOff, SwitchBound) ?? throw new Xunit.Sdk.XunitException($"no echo reply from web within {SwitchBound.TotalSeconds:0} s of relay-a's cut-off:\n{agents.Describe()}");
        AssertRelayCarries(state, planned, "home", "relay-b");
        var (intact, transferred) = transfer.Wait(TimeSpan.FromSeconds(90));
        Assert.True(intact, $"the TCP connection from pad to web open while relay-a was cut off did not deliver every byte: {transferred}\n{agents.Describe()}");
        AssertFlowsPass(lab, "relay-a cut off", agents);

        var restored = outage.Restore();
        agents.AwaitActive("relay-a", ReturnBound);
        var back = DateTimeOffset.UtcNow;
        var afterReturn = ping.FirstReplyAfter(back, TimeSpan.FromSeconds(10)) ?? throw new Xunit.Sdk.XunitException("no echo reply from web after the traffic moved back to relay-a");
        AssertRelayCarries(state, planned, "office", "relay-a");
        AssertFlowsPass(lab, "relay-a back", agents);
        var logs = agents.Stop();

        Assert.All(logs, log => Assert.Equal(2, log.Value.Split('\n').Count(line => line.StartsWith("failover: relay-", StringComparison.Ordinal))));
        Assert.All(logs, log => Assert.Contains("failover: relay-b -> relay-a (relay-a answered every probe for 10 s)", log.Value, StringComparison.Ordinal));
        output.WriteLine($"failover[{engine}]: switch-over {(resumed - cutOff).TotalSeconds:0.00} s (relay-a cut off -> first pad->web echo reply through relay-b), {ping.LostBetween(cutOff, resumed)} echoes lost at {ContinuousPing.Interval.TotalMilliseconds:0} ms intervals");
        output.WriteLine($"failover[{engine}]: TCP across the switch: {transferred}");
        output.WriteLine($"failover[{engine}]: back to relay-a {(back - restored).TotalSeconds:0.00} s after its link returned (hold-down 10 s), {ping.LostBetween(restored, afterReturn)} echoes lost while moving back");
    }

    private static void AssertFlowsPass(LoggedLab lab, string when, FailoverAgents agents)
    {
        var results = lab.Session.RunFlows();
        Assert.All(results, result => Assert.True(result.MeetsExpectation, $"{when}: {result.Flow.Name}: {result.Outcome.Detail}\n{agents.Describe()}"));
    }

    /// <summary>The node's peer for the relay holds the carried prefixes (the overlay prefix among them), as `wg show` reads it.</summary>
    private static void AssertRelayCarries(LabState state, PlannedLab planned, string node, string relay)
    {
        var dump = LabExec.Run(state, node, ["wg", "show", state.Tunnels[node], "allowed-ips"]).EnsureSuccess().StandardOutput;
        var relayKey = planned.Plan.NodeNamed(relay).PublicKey.ToBase64();
        var line = dump.Split('\n').FirstOrDefault(candidate => candidate.StartsWith(relayKey, StringComparison.Ordinal));
        Assert.True(line is not null && line.Contains("192.168.200.0/24", StringComparison.Ordinal), $"{node}: {relay}'s peer does not carry the overlay prefix:\n{dump}");
    }
}
