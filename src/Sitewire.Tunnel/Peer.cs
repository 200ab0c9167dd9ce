using Sitewire.Crypto;
using Sitewire.Tunnel.Io;
using Sitewire.Tunnel.Pipeline;

namespace Sitewire.Tunnel;

/// <summary>
/// One remote WireGuard peer of a <see cref="Device"/>: its configuration, keypairs, staged packets,
/// ordered send/receive queues, timers and counters. Configuration changes go through
/// <see cref="Device.Apply"/>; the rest of the device reads and updates it concurrently.
/// </summary>
public sealed partial class Peer
{
    /// <summary>wireguard-go stages 128 packets per peer while a handshake is pending.</summary>
    internal const int MaxStagedPackets = 128;

    private readonly Device _device;
    private readonly Lock _endpointLock = new();
    private readonly Lock _stagedLock = new();
    private readonly StagedPackets _staged = new(MaxStagedPackets);
    private Endpoint _endpoint;
    private long _rxBytes;
    private long _txBytes;
    private long _lastHandshakeTicks = long.MinValue;

    internal Peer(Device device, Key publicKey, long sequence)
    {
        _device = device;
        PublicKey = publicKey;
        Sequence = sequence;
        InitializeTimers();
    }

    public Key PublicKey { get; }

    /// <summary>Drops and handshakes of this peer.</summary>
    public DeviceCounters Counters { get; } = new();

    /// <summary>Transport messages received from this peer, whole UDP payloads, as wireguard-go counts.</summary>
    public long RxBytes => Interlocked.Read(ref _rxBytes);

    /// <summary>Messages sent to this peer, whole UDP payloads.</summary>
    public long TxBytes => Interlocked.Read(ref _txBytes);

    /// <summary>When the last handshake completed (either side), or null.</summary>
    public DateTimeOffset? LastHandshake
    {
        get
        {
            var ticks = Interlocked.Read(ref _lastHandshakeTicks);
            return ticks == long.MinValue ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    public Endpoint Endpoint
    {
        get
        {
            lock (_endpointLock)
            {
                return _endpoint;
            }
        }
        internal set
        {
            lock (_endpointLock)
            {
                _endpoint = value;
            }
        }
    }

    /// <summary>An all-zero key means none.</summary>
    internal Key PresharedKey { get; private set; }

    internal ushort PersistentKeepaliveInterval { get; set; }

    /// <summary>Creation order, so that state lists peers as they were added.</summary>
    internal long Sequence { get; }

    internal KeypairSet Keypairs { get; } = new();

    internal OrderedBatches Outbound { get; } = new();

    internal OrderedBatches Inbound { get; } = new();

    internal bool IsRemoved { get; private set; }

    internal void AddRxBytes(long bytes) => Interlocked.Add(ref _rxBytes, bytes);

    internal void AddTxBytes(long bytes) => Interlocked.Add(ref _txBytes, bytes);

    /// <summary>Counts (and logs, see Device.Drops.cs) a drop of this peer's; <paramref name="endpoint"/> is where an inbound one came from.</summary>
    internal void Drop(DropReason reason, Endpoint endpoint = default)
    {
        Counters.Drop(reason);
        _device.Drop(reason, endpoint, this);
    }

    /// <summary>A packet authenticated as this peer's came from <paramref name="source"/>: the endpoint follows it (roaming).</summary>
    /// <summary>An authenticated message arrived from <paramref name="source"/> (with the local address it arrived on): send there, from there.</summary>
    internal void UpdateEndpoint(Endpoint source)
    {
        lock (_endpointLock)
        {
            _endpoint = source;
        }
    }

    /// <summary>The local address of <paramref name="endpoint"/> is gone: forget it (if still current) and let the kernel choose.</summary>
    internal void ForgetLocal(Endpoint endpoint)
    {
        lock (_endpointLock)
        {
            if (_endpoint == endpoint && _endpoint.HasLocal)
            {
                _endpoint = _endpoint.WithoutLocal();
            }
        }
    }

    /// <summary>wireguard-go's short form: the first and last characters of the base64 public key.</summary>
    public override string ToString()
    {
        var key = PublicKey.ToBase64();
        return $"({key[..4]}…{key[^5..^1]})";
    }

    private void MarkHandshake(DateTimeOffset now) => Interlocked.Exchange(ref _lastHandshakeTicks, now.UtcTicks);
}
