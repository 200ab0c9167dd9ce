using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using Sitewire.Crypto;
using Sitewire.Tunnel.Configuration;
using Sitewire.Tunnel.Io;
using Sitewire.Tunnel.Tests.Doubles;

namespace Sitewire.Tunnel.Tests.Device;

/// <summary>
/// Two devices, A (192.0.2.1:51820, tunnel 10.0.0.1 / fd00::1) and B (192.0.2.2:51821, tunnel 10.0.0.2 / fd00::2),
/// configured as each other's peer through <see cref="DeviceUpdate"/> on a <see cref="MemoryNetwork"/>, on a fake clock.
/// A knows B's endpoint; B learns A's from the handshake.
/// </summary>
public sealed class DevicePair : IDisposable
{
    public const ushort PortA = 51820;
    public const ushort PortB = 51821;

    public DevicePair(ProtocolTimings? timings = null, bool start = true, bool systemClock = false, Action<string>? logVerbose = null, int workers = 2)
    {
        _workers = workers;
        Timings = timings ?? ProtocolTimings.Default;
        _logVerbose = logVerbose;
        _clock = systemClock ? TimeProvider.System : Time;
        BindA = Network.CreateBind("192.0.2.1");
        BindB = Network.CreateBind("192.0.2.2");
        A = new Tunnel.Device(TunA, BindA, Options());
        B = new Tunnel.Device(TunB, BindB, Options());
        A.Apply(Configure(KeyA, PortA, KeyB, EndpointB, "10.0.0.2/32", "fd00::2/128"));
        B.Apply(Configure(KeyB, PortB, KeyA, null, "10.0.0.1/32", "fd00::1/128"));
        if (start)
        {
            A.Start();
            B.Start();
        }
    }

    private readonly TimeProvider _clock;
    private readonly Action<string>? _logVerbose;
    private readonly int _workers;

    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public MemoryNetwork Network { get; } = new();

    /// <summary>Every error either device logged; a healthy run logs none.</summary>
    public ConcurrentQueue<string> Errors { get; } = new();

    /// <summary>The devices' clock, unless built with the system clock.</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public ProtocolTimings Timings { get; }

    public Key KeyA { get; } = Key.GeneratePrivate();

    public Key KeyB { get; } = Key.GeneratePrivate();

    public MemoryTun TunA { get; } = new("memA");

    public MemoryTun TunB { get; } = new("memB");

    public MemoryBind BindA { get; }

    public MemoryBind BindB { get; }

    public Tunnel.Device A { get; }

    public Tunnel.Device B { get; }

    public Peer PeerBOnA => A.Peers.Single();

    public Peer PeerAOnB => B.Peers.Single();

    public static Endpoint EndpointA => Endpoint.FromIPEndPoint(new IPEndPoint(IPAddress.Parse("192.0.2.1"), PortA));

    public static Endpoint EndpointB => Endpoint.FromIPEndPoint(new IPEndPoint(IPAddress.Parse("192.0.2.2"), PortB));

    public static DeviceUpdate Configure(Key privateKey, ushort port, Key peer, Endpoint? endpoint, params string[] allowedIps)
    {
        var update = new DeviceUpdate { PrivateKey = privateKey, ListenPort = port };
        var peerUpdate = new PeerUpdate(peer.PublicKey()) { Endpoint = endpoint };
        peerUpdate.AllowedIps.AddRange(allowedIps.Select(p => new AllowedIpChange(IPNetwork.Parse(p), false)));
        update.Peers.Add(peerUpdate);
        return update;
    }

    /// <summary>Sends a packet A → B and returns what B's TUN device received (null on timeout).</summary>
    public byte[]? SendAToB(byte[] packet)
    {
        TunA.Inject(packet);
        return TunB.Take(Wait);
    }

    public byte[]? SendBToA(byte[] packet)
    {
        TunB.Inject(packet);
        return TunA.Take(Wait);
    }

    /// <summary>Makes A initiate a handshake, keeps B from seeing it, and returns the initiation A sent.</summary>
    public byte[] CaptureInitiationFromA()
    {
        byte[]? initiation = null;
        Network.Filter = (from, _, payload) =>
        {
            if (from == EndpointA && payload[0] == 1)
            {
                Interlocked.CompareExchange(ref initiation, payload, null);
                return false;
            }
            return true;
        };
        TunA.Inject(Packets.WithSequence("10.0.0.1", "10.0.0.2", 1));
        Assert.True(Eventually(() => Volatile.Read(ref initiation) is not null));
        return initiation!;
    }

    /// <summary>Completes a handshake and one packet each way.</summary>
    public void Connect()
    {
        Assert.NotNull(SendAToB(Packets.WithSequence("10.0.0.1", "10.0.0.2", 0)));
        Assert.NotNull(SendBToA(Packets.WithSequence("10.0.0.2", "10.0.0.1", 0)));
    }

    /// <summary>
    /// Advances the fake clock in steps, settling before each step and after the last: the clock must not move while a
    /// device thread is still at work, or that thread starts its timers late, or runs a due timer itself after the step
    /// returned (FakeTimeProvider fires due timers on whichever thread is already waking timers).
    /// </summary>
    public void Advance(TimeSpan total, TimeSpan? step = null)
    {
        var stride = step ?? TimeSpan.FromSeconds(1);
        Settle();
        for (var elapsed = TimeSpan.Zero; elapsed < total; elapsed += stride)
        {
            Time.Advance(stride < total - elapsed ? stride : total - elapsed);
            Settle();
        }
    }

    /// <summary>Waits (bounded, failing when exceeded) until both devices have finished all the work they were given.</summary>
    public void Settle() =>
        Assert.True(Eventually(IsIdle), $"the devices were still busy after {Wait.TotalSeconds} s: {Backlog()}");

    /// <summary>
    /// True when nothing is queued for, held by or in the pipeline of either device. One pass suffices: within a device,
    /// work only moves forward in the order checked (reader backlog, then pending work, each counted before the
    /// previous count drops), and any move between the devices is a delivery, which the unchanged count rules out.
    /// </summary>
    internal bool IsIdle()
    {
        var delivered = Network.Delivered;
        return BindA.Unfinished == 0 && TunA.Unfinished == 0 && A.PendingWork == 0
            && BindB.Unfinished == 0 && TunB.Unfinished == 0 && B.PendingWork == 0
            && Network.Delivered == delivered;
    }

    private string Backlog() =>
        $"A: {BindA.Unfinished} datagrams, {TunA.Unfinished} packets, {A.PendingWork} pending; "
        + $"B: {BindB.Unfinished} datagrams, {TunB.Unfinished} packets, {B.PendingWork} pending";

    /// <summary>Polls <paramref name="condition"/> until true or a bounded real-time wait passes.</summary>
    public static bool Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }
            Thread.Sleep(2);
        }
        return true;
    }

    public void Dispose()
    {
        A.Dispose();
        B.Dispose();
    }

    private DeviceOptions Options() => new() { TimeProvider = _clock, Timings = Timings, Workers = _workers, LogError = Errors.Enqueue, LogVerbose = _logVerbose };
}
