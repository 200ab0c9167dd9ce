using System.Net;
using Microsoft.Extensions.Time.Testing;
using Sitewire.Host.Failover;
using Sitewire.Tunnel.Metrics;

namespace Sitewire.Host.Tests.Failover;

/// <summary>The agent's rounds on a fake clock: what it moves, what it logs, the state `failover status` reads.</summary>
public sealed class FailoverAgentTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sitewire-failover-").FullName;
    private readonly FakeTimeProvider _clock = new(FailoverFixtures.Start);
    private readonly ScriptedProbe _probe = new();
    private readonly RecordingMover _mover = new();
    private readonly StringWriter _log = new();

    public void Dispose()
    {
        _log.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private sealed class ScriptedProbe : IRelayProbe
    {
        public HashSet<IPAddress> Silent { get; } = [];

        public Task<bool> AnswersAsync(IPAddress address, TimeSpan timeout, CancellationToken cancellation) => Task.FromResult(!Silent.Contains(address));
    }

    private sealed class RecordingMover : IAllowedIpsMover
    {
        public List<int> Moves { get; } = [];

        public void MoveTo(int relayIndex) => Moves.Add(relayIndex);
    }

    private async Task Seconds(FailoverAgent agent, int count)
    {
        for (var round = 0; round < count; round++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            await agent.RoundAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task The_agent_fails_over_and_back_moving_once_each_way_and_logging_one_line_per_switch()
    {
        var settings = FailoverFixtures.TwoRelays(Path.Combine(_directory, "run", "state.json"));
        var agent = new FailoverAgent(settings, _probe, _mover, _clock, _log);

        await Seconds(agent, 5);
        _probe.Silent.Add(settings.Relays[0].Probe);
        await Seconds(agent, 5);
        var down = FailoverStatus.FromJson(File.ReadAllText(settings.StateFile))!;
        _probe.Silent.Clear();
        await Seconds(agent, 15);

        Assert.Equal([1, 0], _mover.Moves);
        Assert.Equal(["failover: relay-a -> relay-b (relay-a: 3 probes unanswered)", "failover: relay-b -> relay-a (relay-a answered every probe for 10 s)"],
            _log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(("relay-b", false, 5), (down.Active, down.Relays[0].Up, down.Relays[0].Misses));
        var back = FailoverStatus.FromJson(File.ReadAllText(settings.StateFile))!;
        Assert.Equal(("relay-a", 2, FailoverFixtures.Start.AddSeconds(25)), (back.Active, back.Switches, back.Updated));
        Assert.EndsWith("failover: relay-b -> relay-a (relay-a answered every probe for 10 s)", back.LastSwitch, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_gives_the_preferred_relay_the_prefixes_first_and_stops_when_cancelled()
    {
        var settings = FailoverFixtures.TwoRelays(Path.Combine(_directory, "state.json"));
        var agent = new FailoverAgent(settings, _probe, _mover, _clock, _log);

        await agent.RunAsync(new CancellationToken(canceled: true));

        Assert.Equal([0], _mover.Moves);
        Assert.StartsWith("failover: started on wg0, relay-a carries 10.200.0.0/24, 10.2.0.0/24", _log.ToString(), StringComparison.Ordinal);
        Assert.True(File.Exists(settings.StateFile));
    }

    [Fact]
    public async Task The_metrics_name_the_active_relay_each_relays_health_and_the_switches()
    {
        var settings = FailoverFixtures.TwoRelays(Path.Combine(_directory, "state.json"));
        var agent = new FailoverAgent(settings, _probe, _mover, _clock, _log);
        _probe.Silent.Add(settings.Relays[0].Probe);
        await Seconds(agent, 3);
        var text = new StringWriter();

        FailoverMetrics.Write(new PrometheusTextWriter(text), agent.Status());

        Assert.Contains("sitewire_failover_switches_total{interface=\"wg0\"} 1\n", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("sitewire_failover_active{interface=\"wg0\",relay=\"relay-b\"} 1\n", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("sitewire_failover_relay_up{interface=\"wg0\",relay=\"relay-a\"} 0\n", text.ToString(), StringComparison.Ordinal);
    }
}
