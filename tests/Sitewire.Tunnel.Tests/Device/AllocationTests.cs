using Sitewire.Tunnel.Io;
using Sitewire.Tunnel.Tests.Doubles;

namespace Sitewire.Tunnel.Tests.Device;

/// <summary>Measures process-wide allocations, so it runs alone.</summary>
[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
[Collection(nameof(AllocationTests))]
public sealed class AllocationTests
{
    /// <summary>TUN read, peer lookup, staging, sealing and the batched send: amortized zero; the bound leaves room for the test harness and the test doubles.</summary>
    [Fact]
    public void Sending_packets_allocates_nothing_per_packet()
    {
        using var pair = new DevicePair(systemClock: true);
        pair.Connect();
        var packets = Enumerable.Range(0, 200).Select(i => Packets.WithSequence("10.0.0.1", "10.0.0.2", i, size: 1300)).ToArray();
        pair.Network.Discard = true;
        Send(pair, packets, rounds: 50);

        var (perPacket, buffers) = Measure(pair.A, () => Send(pair, packets, rounds: 100), 100 * packets.Length);

        Assert.True(perPacket < 16, $"{perPacket:F1} bytes allocated per packet besides {buffers} new pool buffers");
        Assert.True(pair.A.BuffersAllocated < 8192, $"{pair.A.BuffersAllocated} packet buffers");
        Assert.Equal(0, pair.A.Counters.TotalDrops);
    }

    /// <summary>
    /// Classifying, opening, the replay window, the source check and the batched TUN write allocate no buffer or
    /// batch per packet. The in-memory network itself costs about 150 bytes per datagram (its queues), so the bound
    /// here is looser than on the send side.
    /// </summary>
    [Fact]
    public void Receiving_packets_allocates_nothing_per_packet()
    {
        using var pair = new DevicePair(systemClock: true);
        pair.Connect();
        var captured = new List<byte[]>();
        pair.Network.Filter = (from, _, payload) =>
        {
            if (from == DevicePair.EndpointA && payload[0] == 4)
            {
                lock (captured)
                {
                    captured.Add(payload);
                }
                return false;
            }
            return true;
        };
        const int Count = 30_000;
        for (var i = 0; i < Count; i++)
        {
            pair.TunA.Inject(Packets.WithSequence("10.0.0.1", "10.0.0.2", i, size: 1300));
        }
        Assert.True(DevicePair.Eventually(() => { lock (captured) { return captured.Count == Count; } }));
        pair.Network.Filter = null;
        pair.TunB.Discard = true;
        Deliver(pair, captured.Take(10_000));

        var (perPacket, buffers) = Measure(pair.B, () => Deliver(pair, captured.Skip(10_000)), Count - 10_000);

        Assert.True(perPacket < 400, $"{perPacket:F1} bytes allocated per packet besides {buffers} new pool buffers");
        Assert.True(pair.B.BuffersAllocated < 8192, $"{pair.B.BuffersAllocated} packet buffers");
        Assert.Equal(0, pair.B.Counters.TotalDrops);
    }

    /// <summary>
    /// Under load, an initiation without mac2 is answered with a cookie reply: checking both macs, making the cookie,
    /// sealing it and sending the reply allocate nothing after warm-up. Measured on the calling thread, which runs the
    /// handshake worker's step directly while the worker is idle. On a loaded machine the thread's allocated-bytes
    /// counter can jump once by up to one allocation quantum (8 KB) while the devices' threads start, even around
    /// code that cannot allocate (a bare BLAKE2s MAC shows it too), so the measurement is repeated in a few windows
    /// and one window must allocate exactly nothing: an allocation the path makes at least once per window fails all.
    /// </summary>
    [Fact]
    public void A_cookie_reply_under_load_allocates_nothing()
    {
        using var pair = new DevicePair();
        var initiation = pair.CaptureInitiationFromA();
        pair.Network.Discard = true;
        pair.B.MarkUnderLoad();
        var source = DevicePair.EndpointA;
        const int WarmUp = 100;
        const int Replies = 10_000;
        const int MaxWindows = 3;
        for (var i = 0; i < WarmUp; i++)
        {
            pair.B.ProcessHandshake(initiation, source);
        }
        var repliesBefore = pair.B.Counters.CookieRepliesSent;

        var windows = new List<long>();
        while (windows.Count < MaxWindows && (windows.Count == 0 || windows[^1] != 0))
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < Replies; i++)
            {
                pair.B.ProcessHandshake(initiation, source);
            }
            windows.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(windows.Count * Replies, pair.B.Counters.CookieRepliesSent - repliesBefore);
        Assert.True(windows[^1] == 0, $"bytes allocated per {Replies} cookie replies, in each of {windows.Count} windows: {string.Join(", ", windows)}");
        Assert.Empty(pair.Errors);
    }

    /// <summary>
    /// Bytes allocated per packet while <paramref name="run"/> moves <paramref name="packets"/> packets, not counting
    /// packet buffers the pool added when more packets than ever were in flight (bounded, asserted separately).
    /// </summary>
    private static (double PerPacket, long NewBuffers) Measure(Tunnel.Device device, Action run, int packets)
    {
        var buffersBefore = device.BuffersAllocated;
        var before = GC.GetTotalAllocatedBytes(precise: true);
        run();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        var newBuffers = device.BuffersAllocated - buffersBefore;
        return ((double)(allocated - newBuffers * PacketBuffers.BufferSize) / packets, newBuffers);
    }

    /// <summary>
    /// Delivers in windows of <see cref="DeliveryWindow"/> messages, each drained before the next, so that a
    /// busy machine cannot overflow the device's bounded queues (which drop by design) and fail the measurement.
    /// </summary>
    private static void Deliver(DevicePair pair, IEnumerable<byte[]> messages)
    {
        foreach (var window in messages.Chunk(DeliveryWindow))
        {
            var target = pair.TunB.Discarded + window.Length;
            foreach (var message in window)
            {
                while (!pair.Network.Deliver(DevicePair.EndpointA, DevicePair.EndpointB, message))
                {
                    Thread.Yield();
                }
            }
            Assert.True(DevicePair.Eventually(() => pair.TunB.Discarded >= target),
                $"{pair.TunB.Discarded} of {target} packets reached the TUN; drops: {string.Join(", ", pair.B.Counters.Drops().Select(d => $"{d.Reason}={d.Count}"))}");
        }
    }

    private const int DeliveryWindow = 1024;

    private static void Send(DevicePair pair, byte[][] packets, int rounds)
    {
        for (var round = 0; round < rounds; round++)
        {
            var target = pair.Network.Discarded + packets.Length;
            foreach (var packet in packets)
            {
                pair.TunA.Inject(packet);
            }
            Assert.True(DevicePair.Eventually(() => pair.Network.Discarded >= target));
        }
    }
}
