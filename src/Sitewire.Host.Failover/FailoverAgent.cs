using Sitewire.Config.Failover;

namespace Sitewire.Host.Failover;

/// <summary>
/// The agent's loop: at start give the preferred relay the carried prefixes (whatever an earlier run left), then once
/// per probe interval probe every relay at once, let <see cref="FailoverDecider"/> judge, move the prefixes on a switch
/// and log one line, and replace the state file. Time comes from a <see cref="TimeProvider"/> so tests run it on a fake clock.
/// </summary>
public sealed class FailoverAgent(FailoverSettings settings, IRelayProbe probe, IAllowedIpsMover mover, TimeProvider time, TextWriter log)
{
    private readonly FailoverDecider _decider = new(settings);
    private int _switches;
    private FailoverSwitch? _last;

    public async Task RunAsync(CancellationToken cancellation)
    {
        mover.MoveTo(_decider.Active);
        log.WriteLine($"failover: started on {settings.Interface}, {settings.Relays[_decider.Active].Name} carries {string.Join(", ", settings.Carried)}");
        log.Flush();
        using var timer = new PeriodicTimer(settings.Timings.ProbeInterval, time);
        do
        {
            await RoundAsync(cancellation).ConfigureAwait(false);
        }
        while (await Tick(timer, cancellation).ConfigureAwait(false));
    }

    /// <summary>One round: probe, judge, switch if called for, write the state.</summary>
    public async Task RoundAsync(CancellationToken cancellation)
    {
        var answers = await Task.WhenAll(settings.Relays.Select(relay => probe.AnswersAsync(relay.Probe, settings.Timings.ProbeInterval, cancellation))).ConfigureAwait(false);
        if (_decider.Observe(answers, time.GetUtcNow()) is { } change)
        {
            mover.MoveTo(_decider.Active);
            _switches++;
            _last = change;
            log.WriteLine(change.ToString());
            log.Flush();
        }
        WriteState();
    }

    public FailoverStatus Status() => new(
        settings.Interface,
        settings.Relays[_decider.Active].Name,
        _switches,
        _last is null ? null : $"{_last.At:O} {_last}",
        time.GetUtcNow(),
        [.. settings.Relays.Select((relay, index) => new RelayStatus(relay.Name, _decider.Health[index].Up, _decider.Health[index].Misses, _decider.Health[index].LastAnswer))]);

    private void WriteState()
    {
        var directory = Path.GetDirectoryName(settings.StateFile);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        var temporary = settings.StateFile + ".tmp";
        File.WriteAllText(temporary, Status().ToJson());
        File.Move(temporary, settings.StateFile, overwrite: true);
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken cancellation)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
