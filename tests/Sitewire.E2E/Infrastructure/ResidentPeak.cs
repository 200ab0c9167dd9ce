namespace Sitewire.E2E.Infrastructure;

/// <summary>Samples a daemon's RSS in the background (every 50 ms) until disposed or the daemon exits; <see cref="KiB"/> is the highest seen.</summary>
public sealed class ResidentPeak : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private long _peak;

    public ResidentPeak(WireGuardDaemon daemon)
    {
        _peak = daemon.ResidentKiB;
        _sampling = Task.Run(async () =>
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    Interlocked.Exchange(ref _peak, Math.Max(Interlocked.Read(ref _peak), daemon.ResidentKiB));
                    await Task.Delay(50).ConfigureAwait(false);
                }
            }
            catch (IOException)
            {
                // The daemon exited: its /proc entry is gone.
            }
        });
    }

    public long KiB => Interlocked.Read(ref _peak);

    /// <summary>Stops sampling; <see cref="KiB"/> then holds the peak over the whole time.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }
        await _sampling.ConfigureAwait(false);
    }
}
