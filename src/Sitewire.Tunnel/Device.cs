using Sitewire.Crypto;
using Sitewire.Tunnel.Io;
using Sitewire.Tunnel.Logging;
using Sitewire.Tunnel.Noise;
using Sitewire.Tunnel.Pipeline;
using Sitewire.Tunnel.RateLimiting;
using Sitewire.Tunnel.Routing;

namespace Sitewire.Tunnel;

/// <summary>
/// A WireGuard interface: one private key, one UDP bind, one TUN device, its peers.
/// Contract used by the UAPI server and the daemon (the engine fills in the protocol):
/// construct, <see cref="Apply"/> configuration (atomic: all or nothing), <see cref="Start"/>
/// the I/O loops, read <see cref="GetState"/>, and <see cref="Dispose"/> to stop.
/// </summary>
/// <remarks>
/// Threads: one TUN reader (Device.Send.cs), one UDP reader (Device.Receive.cs), one handshake worker
/// (Device.Handshake.cs), <see cref="DeviceOptions.Workers"/> crypto workers; peers' timers run on the
/// <see cref="DeviceOptions.TimeProvider"/>'s callbacks. Configuration lives in immutable snapshots
/// (peer map, allowed-ips trie) that <see cref="Apply"/> replaces under the config lock, so the packet
/// path reads them without locking.
/// </remarks>
public sealed partial class Device : IDisposable
{
    /// <summary>Free packet buffers kept for reuse.</summary>
    private const int BufferPoolCapacity = 2048;

    /// <summary>
    /// Received transport messages in the pipeline at once (classified into batches, not yet delivered or dropped): past
    /// it the UDP reader drops them (<see cref="DropReason.BuffersExhausted"/>) instead of taking a new buffer, so a flood
    /// that outruns the crypto workers cannot hold more. Each buffer is resident only as far as the datagram it held:
    /// about 2048 × 8 KiB = 16 MiB for datagrams up to 2 KiB, 2048 × 64 KiB = 128 MiB at worst (reassembled 64 KiB ones).
    /// </summary>
    internal const int InboundBuffersLimit = 2048;
    private const int BatchPoolCapacity = 1024;
    private const int WorkQueueCapacity = 64;

    private readonly ITun _tun;
    private readonly IBind _bind;
    private readonly DeviceOptions _options;
    private readonly Lock _configLock = new();
    private readonly BufferPool _buffers = new(BufferPoolCapacity);
    private readonly ObjectPool<PacketBatch> _batches = new(BatchPoolCapacity, () => new PacketBatch());
    private readonly WorkQueue _crypto;
    private readonly List<Thread> _threads = [];
    private readonly CancellationTokenSource _stopping = new();
    private volatile Dictionary<Key, Peer> _peers = [];
    private volatile AllowedIps<Peer> _allowedIps = new();
    private volatile LocalIdentity? _identity;
    private ushort _listenPort;
    private bool _bindOpen;
    private uint _firewallMark;
    private long _peerSequence;
    private volatile bool _running;
    private readonly RateLimitedLog? _floodLog;

    public Device(ITun tun, IBind bind, DeviceOptions options)
    {
        _tun = tun;
        _bind = bind;
        _options = options;
        _crypto = new WorkQueue(options.Workers, WorkQueueCapacity, ProcessBatch, "wg crypto");
        RateLimiter = new HandshakeRateLimiter(options.TimeProvider);
        _floodLog = CreateFloodLog();
        InitializeHandshakeQueue();
    }

    /// <summary>Completes when the TUN device is closed or deleted.</summary>
    public Task Closed => _tun.Closed;

    /// <summary>Drops by reason and handshake counts for the whole device.</summary>
    public DeviceCounters Counters { get; } = new();

    /// <summary>The peers now configured, in the order they were added.</summary>
    public IReadOnlyList<Peer> Peers => [.. _peers.Values.OrderBy(p => p.Sequence)];

    internal IndexTable<Session> Sessions { get; } = new();

    internal HandshakeRateLimiter RateLimiter { get; }

    internal TimeProvider Time => _options.TimeProvider;

    internal ProtocolTimings Timings => _options.Timings;

    internal LocalIdentity? Identity => _identity;

    internal bool IsRunning => _running;

    /// <summary>Starts reading the TUN device and the UDP bind; opens the bind (random port unless configured).</summary>
    public void Start()
    {
        lock (_configLock)
        {
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            if (_running)
            {
                return;
            }
            if (!_bindOpen)
            {
                OpenBind(_listenPort);
            }
            _crypto.Start();
            StartThread(RunTunReader, "wg tun reader");
            StartThread(RunUdpReader, "wg udp reader");
            StartThread(RunHandshakeWorker, "wg handshake");
            _running = true;
            foreach (var peer in _peers.Values)
            {
                peer.OnDeviceStarted();
            }
        }
    }

    public void Dispose()
    {
        lock (_configLock)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }
            _stopping.Cancel();
            _running = false;
        }
        _bind.Dispose();
        _tun.Dispose();
        CompleteHandshakeQueue();
        foreach (var thread in _threads)
        {
            thread.Join(TimeSpan.FromSeconds(5));
        }
        _crypto.Dispose();
        foreach (var peer in _peers.Values)
        {
            peer.Stop();
        }
        _stopping.Dispose();
    }

    internal void Log(string message) => _options.LogVerbose?.Invoke(message);

    internal void LogError(string message) => _options.LogError?.Invoke(message);

    internal Peer? FindPeer(Key publicKey) => _peers.GetValueOrDefault(publicKey);

    private void StartThread(Action run, string name)
    {
        var thread = new Thread(() =>
        {
            try
            {
                run();
            }
            catch (Exception e) when (_stopping.IsCancellationRequested || e is ObjectDisposedException)
            {
            }
            catch (Exception e)
            {
                LogError($"{name} failed: {e}");
            }
        })
        { IsBackground = true, Name = name };
        _threads.Add(thread);
        thread.Start();
    }

    private void OpenBind(ushort port)
    {
        _listenPort = _bind.Open(port);
        _bindOpen = true;
    }
}
