using System.Globalization;

namespace Sitewire.Host.Lab;

/// <summary>
/// The lab's failover proof (docs/failover.md), on a lab whose agents run: while the measured traffic pings every 100 ms
/// and a paced TCP stream crosses the hub, it cuts a relay off (its uplink down in its namespace, its engine left running,
/// as on a host whose network failed), waits for every agent to move, and measures the switch-over (cut-off → first echo
/// reply) and the echoes lost; checks the stream arrived intact; runs every flow against verify's prediction for that
/// relay down; brings the relay back, waits out the hold-down, measures the move back; runs every flow again; and
/// checks every agent switched exactly as often as the drill called for (away and back, or not at all). Every wait is
/// bounded; the first miss ends the drill with its reason and the agents' state and logs. The relay always comes back.
/// </summary>
public static class LabFailoverDrill
{
    private static readonly TimeSpan SwitchLimit = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan ReturnLimit = TimeSpan.FromSeconds(40);
    private static readonly TimeSpan FirstReplyLimit = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StreamSending = TimeSpan.FromSeconds(12);
    private static readonly TimeSpan StreamLimit = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StreamBeforeCut = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PingDeadline = TimeSpan.FromSeconds(240);

    /// <param name="showFlows">Shown each time the drill ran every flow, with what the flows were checked against.</param>
    public static LabFailoverReport Run(LabSession session, string cut, Action<string> log, Action<string, IReadOnlyList<LabFlowResult>> showFlows)
    {
        var failover = session.Failover ?? throw new InvalidOperationException("the failover drill needs a hub with several relays");
        var agents = session.FailoverAgents ?? throw new InvalidOperationException("the failover drill needs the lab's failover agents running");
        var state = session.State;
        var fallback = failover.ActiveWithout(cut);
        var moves = fallback != failover.Preferred;
        var report = new LabFailoverReport(cut, fallback, moves);
        var traffic = failover.Traffic;
        log(traffic is null
            ? "[lab] failover: no flow holds with every relay up and each relay down from a host to a host that answers ping: the switch-over is measured by the agents alone"
            : $"[lab] failover: {traffic.FromHost} pings {traffic.ToAddress} ({traffic.ToHost}) every {LabPing.Interval.TotalMilliseconds:0} ms"
              + (traffic.StreamPort is { } port ? $"; a paced TCP stream {traffic.FromHost} -> {traffic.ToHost}:{port} runs {StreamSending.TotalSeconds:0} s across the cut-off" : ""));
        using var ping = traffic is null ? null : new LabPing(state, traffic.FromHost, traffic.ToAddress, PingDeadline);
        if (traffic is not null && ping!.FirstReplyAfter(DateTimeOffset.UtcNow, FirstReplyLimit) is null)
        {
            return report.Failed($"{traffic.FromHost} got no echo reply from {traffic.ToAddress} within {FirstReplyLimit.TotalSeconds:0} s with every relay up");
        }
        using var stream = traffic?.StreamPort is { } streamPort
            ? new LabTcpStream(state, traffic.FromHost, traffic.ToHost, traffic.ToAddress, streamPort, StreamSending)
            : null;
        if (stream is not null)
        {
            Thread.Sleep(StreamBeforeCut);
        }
        var outage = new LabRelayOutage(state, cut);
        var cutOff = outage.CutOff();
        DateTimeOffset restored;
        try
        {
            log($"[lab] failover: {cut} cut off ({outage.Uplink} down in its namespace, its engine left running)");
            if (!agents.AwaitActive(fallback, SwitchLimit))
            {
                return report.Failed($"not every agent moved the traffic to {fallback} within {SwitchLimit.TotalSeconds:0} s of {cut}'s cut-off:\n{agents.Describe()}");
            }
            report = report with { AgentsMoved = DateTimeOffset.UtcNow - cutOff };
            if (ping is not null)
            {
                if (ping.FirstReplyAfter(cutOff, SwitchLimit) is not { } resumed)
                {
                    return report.Failed($"no echo reply from {traffic!.ToAddress} within {SwitchLimit.TotalSeconds:0} s of {cut}'s cut-off:\n{agents.Describe()}");
                }
                report = report with { SwitchOver = resumed - cutOff, EchoesLost = ping.LostBetween(cutOff, resumed) };
            }
            log(moves
                ? $"[lab] failover: every agent moved the traffic to {fallback} {Seconds(report.AgentsMoved)} after the cut-off"
                : $"[lab] failover: the agents keep the traffic on {fallback} ({cut} carried none)");
            if (moves && report.SwitchOver is { } switchOver)
            {
                log($"[lab] failover: switch-over {Seconds(switchOver)} ({cut} cut off -> first {traffic!.FromHost}->{traffic.ToHost} echo reply through {fallback}), {Echoes(report.EchoesLost)} lost at {LabPing.Interval.TotalMilliseconds:0} ms intervals");
            }
            if (stream is not null)
            {
                var (intact, said) = stream.Wait(StreamLimit);
                report = report with { Stream = said, StreamIntact = intact };
                log($"[lab] failover: TCP stream across the cut-off {(intact ? "intact" : "BROKEN")}: {said}");
                if (!intact)
                {
                    return report.Failed($"the TCP stream {traffic!.FromHost} -> {traffic.ToHost}:{traffic.StreamPort} open across the cut-off did not deliver every byte: {said}");
                }
            }
            var down = session.RunFlows(failover.FlowsWithRelayDown[cut]);
            report = report with { FlowsWithRelayDown = down };
            showFlows($"with {cut} cut off (verify's prediction for {cut} down)", down);
            if (!down.All(result => result.Agrees))
            {
                return report.Failed($"with {cut} cut off, {down.Count(result => !result.Agrees)} of {down.Count} flows did not go as verify predicted for {cut} down:\n{agents.Describe()}");
            }
        }
        finally
        {
            restored = outage.Restore();
        }
        log($"[lab] failover: {cut} back ({outage.Uplink} up)");
        if (!agents.AwaitActive(failover.Preferred, ReturnLimit))
        {
            return report.Failed($"not every agent moved the traffic back to {failover.Preferred} within {ReturnLimit.TotalSeconds:0} s of {cut}'s return:\n{agents.Describe()}");
        }
        var back = DateTimeOffset.UtcNow;
        report = report with { BackAfter = back - restored };
        if (ping is not null)
        {
            if (ping.FirstReplyAfter(back, FirstReplyLimit) is not { } afterReturn)
            {
                return report.Failed($"no echo reply from {traffic!.ToAddress} within {FirstReplyLimit.TotalSeconds:0} s of the traffic's return to {failover.Preferred}");
            }
            report = report with { EchoesLostBack = ping.LostBetween(restored, afterReturn) };
        }
        var holdDown = failover.Agents[0].Settings.Timings.HoldDown;
        log(moves
            ? $"[lab] failover: traffic back on {failover.Preferred} {Seconds(report.BackAfter)} after {cut}'s link returned (hold-down {holdDown.TotalSeconds:0} s)"
              + (ping is null ? "" : $", {Echoes(report.EchoesLostBack)} lost while moving back")
            : $"[lab] failover: the traffic stayed on {failover.Preferred}");
        var after = session.RunFlows();
        report = report with { FlowsAfterReturn = after };
        showFlows($"with {cut} back", after);
        if (!after.All(result => result.Agrees))
        {
            return report.Failed($"with {cut} back, {after.Count(result => !result.Agrees)} of {after.Count} flows did not go as verify predicted:\n{agents.Describe()}");
        }
        var expected = moves ? 2 : 0;
        var switches = agents.Nodes.ToDictionary(node => node, node => agents.Status(node)?.Switches ?? -1, StringComparer.Ordinal);
        report = report with { Switches = switches };
        log($"[lab] failover: switches per agent: {string.Join(", ", switches.Select(entry => $"{entry.Key} {entry.Value}"))} (expected {expected}: {(moves ? $"to {fallback} and back" : "none")})");
        return switches.Values.All(count => count == expected)
            ? report
            : report.Failed($"an agent switched other than {expected} times:\n{agents.Describe()}");
    }

    private static string Echoes(int count) => count == 1 ? "1 echo" : $"{count} echoes";

    private static string Seconds(TimeSpan? span) => span is { } value ? value.TotalSeconds.ToString("0.00 's'", CultureInfo.InvariantCulture) : "-";
}

/// <summary>
/// What <see cref="LabFailoverDrill"/> measured (<c>Moves</c>: the cut relay carried the traffic, so the agents had to move it): how long after the cut-off every agent had moved and the first echo
/// reply came through the other relay, the echoes lost, the TCP stream's verdict, how long after the relay's return the
/// traffic was back, the flows of both phases, each agent's switch count, and why the drill failed (null: it passed).
/// </summary>
public sealed record LabFailoverReport(string Cut, string Fallback, bool Moves)
{
    public TimeSpan? AgentsMoved { get; init; }
    public TimeSpan? SwitchOver { get; init; }
    public int EchoesLost { get; init; }
    public string? Stream { get; init; }
    public bool StreamIntact { get; init; }
    public IReadOnlyList<LabFlowResult> FlowsWithRelayDown { get; init; } = [];
    public TimeSpan? BackAfter { get; init; }
    public int EchoesLostBack { get; init; }
    public IReadOnlyList<LabFlowResult> FlowsAfterReturn { get; init; } = [];
    public IReadOnlyDictionary<string, int> Switches { get; init; } = new Dictionary<string, int>();
    public string? Failure { get; init; }

    public bool Passed => Failure is null;

    public LabFailoverReport Failed(string why) => this with { Failure = why };
}
