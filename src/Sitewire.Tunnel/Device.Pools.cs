namespace Sitewire.Tunnel;

/// <summary>
/// The pools (packet buffers, batches, handshake buffers) grow while a burst has more in flight than ever before;
/// every <see cref="PoolTrimInterval"/> each lets go of the free objects nothing rented since the previous trim, so
/// that what a burst added is given back and memory follows the recent load, not the worst moment since the start.
/// </summary>
public sealed partial class Device
{
    internal static readonly TimeSpan PoolTrimInterval = TimeSpan.FromSeconds(10);

    private ITimer? _poolTrimming;

    /// <summary>Free packet buffers the pool holds now.</summary>
    internal int BuffersPooled => _buffers.Pooled;

    /// <summary>Free batches the pool holds now.</summary>
    internal int BatchesPooled => _batches.Count;

    private void TrimPools()
    {
        _buffers.Trim();
        _batches.Trim();
        _handshakeBuffers.Trim();
    }

    private void StartPoolTrimming() =>
        _poolTrimming = Time.CreateTimer(_ => TrimPools(), null, PoolTrimInterval, PoolTrimInterval);

    private void StopPoolTrimming() => _poolTrimming?.Dispose();
}
