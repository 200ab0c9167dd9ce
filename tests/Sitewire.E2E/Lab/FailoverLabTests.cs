using Sitewire.E2E.Infrastructure;
using Sitewire.Host.Lab;
using Xunit.Abstractions;

namespace Sitewire.E2E.Lab;

/// <summary>
/// examples/two-relays.yaml for real: the lab starts `sitewire failover run` on both sites with the plan's agent
/// configuration. The lab's own failover drill (what `sitewire lab` runs) cuts relay-a off during a ping every 100 ms and
/// a paced TCP stream (SHA-256 checked by the server), and must see every flow pass through relay-b and again through
/// relay-a after the hold-down, each agent switching exactly twice; the test prints what the lab prints. A relay whose uplink
/// drops every packet every other second must not make the agents switch back and forth.
/// </summary>
[Collection(LabCollection.Name)]
public class FailoverLabTests(ITestOutputHelper output)
{
    /// <summary>Cycles of relay-a's uplink dropping every packet for a second, then passing them for a second: 20 s of flapping.</summary>
    private const int FlapCycles = 10;
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(40);

    [Theory]
    [InlineData(LabEngineKind.Sitewired)]
    [InlineData(LabEngineKind.WireguardGo)]
    public void Traffic_moves_to_the_second_relay_when_the_first_is_cut_off_and_back_after_the_hold_down(LabEngineKind engine)
    {
        var planned = TwoRelays();
        Assert.Equal(new LabFailoverTraffic("pad", "web", "172.17.50.1", 5001), planned.Blueprint.Failover!.Traffic);
        using var lab = new LoggedLab(planned.Blueprint, new LabOptions(engine));
        var agents = lab.Session.FailoverAgents!;
        Assert.Equal(["home", "office"], agents.Nodes.Order(StringComparer.Ordinal));
        AssertFlowsPass(lab.Session.RunFlows(), "both relays up", agents);

        var report = LabFailoverDrill.Run(lab.Session, "relay-a", line => output.WriteLine($"{engine}: {line}"),
            (when, results) => output.WriteLine($"{engine}: flows {when}: {string.Join("; ", results.Select(r => $"{r.Flow.Name}: {r.Outcome.Detail}"))}"));

        Assert.True(report.Passed, report.Failure);
        Assert.True(report.StreamIntact, report.Stream);
        Assert.InRange(report.SwitchOver!.Value, TimeSpan.Zero, TimeSpan.FromSeconds(20));
        AssertFlowsPass(report.FlowsWithRelayDown, "relay-a cut off", agents);
        AssertFlowsPass(report.FlowsAfterReturn, "relay-a back", agents);
        Assert.All(agents.Nodes, node => Assert.Equal(
            ["failover: relay-a -> relay-b (relay-a: 3 probes unanswered)", "failover: relay-b -> relay-a (relay-a answered every probe for 10 s)"],
            agents.SwitchLines(node)));
        AssertRelayCarries(lab.Session.State, planned, "home", "relay-a");
    }

    [Theory]
    [InlineData(LabEngineKind.Sitewired)]
    [InlineData(LabEngineKind.WireguardGo)]
    public void A_relay_link_that_drops_every_other_second_moves_the_traffic_at_most_once_away_and_once_back(LabEngineKind engine)
    {
        var planned = TwoRelays();
        using var lab = new LoggedLab(planned.Blueprint, new LabOptions(engine));
        var state = lab.Session.State;
        var agents = lab.Session.FailoverAgents!;
        using var ping = new LabPing(state, "pad", "172.17.50.1", TimeSpan.FromSeconds(120));
        var outage = new LabRelayOutage(state, "relay-a");

        Assert.True(ping.FirstReplyAfter(DateTimeOffset.UtcNow, TimeSpan.FromSeconds(10)) is not null, "pad gets no echo reply from web before the flapping");
        var flapStart = DateTimeOffset.UtcNow;
        var steady = outage.Flap(FlapCycles);

        // Settled: every agent on relay-a, relay-a up in its eyes, and a round written after the last probe the flapping could miss.
        var settled = Poll.Until(() => agents.Nodes.All(node => agents.Status(node) is { Active: "relay-a" } status
            && status.Relays.Single(relay => relay.Name == "relay-a").Up && status.Updated > steady + TimeSpan.FromSeconds(2)), SettleLimit, TimeSpan.FromMilliseconds(50));
        Assert.True(settled, $"the agents did not settle on relay-a within {SettleLimit.TotalSeconds:0} s of relay-a's uplink passing packets again:\n{agents.Describe()}");
        var lost = ping.LostBetween(flapStart, steady);
        Assert.True(lost >= 10, $"the flapping link lost {lost} echoes from pad to web, not even a second's worth: relay-a's uplink did not really drop them");
        foreach (var node in agents.Nodes)
        {
            var switches = agents.SwitchLines(node);
            output.WriteLine($"flapping[{engine}]: {node}: {switches.Count} switches in {2 * FlapCycles} s of relay-a's uplink dropping every packet every other second and after ({lost} echoes lost meanwhile){(switches.Count > 0 ? ": " + string.Join("; ", switches) : "")}");
            Assert.True(switches.Count == 0 || switches.SequenceEqual(["failover: relay-a -> relay-b (relay-a: 3 probes unanswered)", "failover: relay-b -> relay-a (relay-a answered every probe for 10 s)"]),
                $"{node} switched back and forth:\n{agents.Describe()}");
            Assert.Equal(switches.Count, agents.Status(node)!.Switches);
        }
        AssertFlowsPass(lab.Session.RunFlows(), "after the flapping", agents);
    }

    [Fact]
    public void The_lab_of_two_relays_runs_the_plans_agent_on_each_site_and_measures_a_flow_that_holds_with_either_relay_down()
    {
        var failover = TwoRelays().Blueprint.Failover!;
        Assert.Equal(["office", "home"], failover.Agents.Select(agent => agent.Node));
        Assert.All(failover.Agents, agent => Assert.Equal(["relay-a", "relay-b"], agent.Settings.Relays.Select(relay => relay.Name)));
        Assert.Equal(["relay-a", "relay-b"], failover.Relays);
        Assert.Equal(["relay-a", "relay-b"], failover.FlowsWithRelayDown.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new LabFailoverTraffic("pad", "web", "172.17.50.1", 5001), failover.Traffic);
        Assert.Null(PlannedLab.Load(null).Blueprint.Failover);
    }

    [Fact]
    public void Where_the_flows_are_the_enforced_policy_and_stop_echoes_the_drill_has_no_traffic_to_measure_by()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Examples, "two-relays.yaml"))
            .Replace("  hub: [relay-a, relay-b]   # in order of preference\n", "  hub: [relay-a, relay-b]\n  policy: flows\n", StringComparison.Ordinal);
        var loaded = Sitewire.Config.Topology.TopologyLoader.LoadText(text, "two-relays-policy.yaml");
        Assert.True(loaded.Succeeded, string.Join('\n', loaded.Diagnostics));
        Assert.Equal(Sitewire.Config.Topology.FlowPolicy.Flows, loaded.Topology.Network.Policy);
        Assert.Null(PlannedLab.From(loaded.Topology).Blueprint.Failover!.Traffic);
    }

    [Theory]
    [InlineData("two-relays.yaml", "relay-c", "--fail: relay-c is none of the hub's relays (relay-a, relay-b) and not `none`")]
    [InlineData("seed.yaml", "relay", "--fail: the topology has one relay")]
    public void Fail_names_a_relay_of_the_hub_or_nothing_is_built(string topology, string relay, string refusal)
    {
        var (exitCode, output) = CliRun.Run(TimeSpan.FromSeconds(60), "lab", Path.Combine(RepositoryPaths.Examples, topology), "--fail", relay);
        Assert.Equal(2, exitCode);
        Assert.Contains(refusal, output, StringComparison.Ordinal);
        Assert.DoesNotContain("namespaces", output, StringComparison.Ordinal);
    }

    private static PlannedLab TwoRelays()
    {
        var planned = PlannedLab.Load(Path.Combine(RepositoryPaths.Examples, "two-relays.yaml"));
        Assert.True(planned.Verification.Passed);
        return planned;
    }

    private static void AssertFlowsPass(IReadOnlyList<LabFlowResult> results, string when, LabFailoverAgents agents)
    {
        Assert.NotEmpty(results);
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
