using System.Buffers.Binary;
using System.Net;
using Sitewire.Tunnel.Io;
using Sitewire.Tunnel.RateLimiting;
using Sitewire.Tunnel.Tests.Doubles;

namespace Sitewire.Tunnel.Tests.Device;

public sealed class HostileInputTests
{
    private static readonly Endpoint Attacker = Endpoint.FromIPEndPoint(IPEndPoint.Parse("203.0.113.66:6666"));

    private static byte[] Message(int type, int length, Action<byte[]>? fill = null)
    {
        var message = new byte[length];
        Random.Shared.NextBytes(message);
        if (length >= 4)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)type);
        }
        fill?.Invoke(message);
        return message;
    }

    [Fact]
    public void Malformed_unauthenticated_unknown_and_replayed_messages_are_dropped_by_reason_and_the_tunnel_keeps_working()
    {
        using var pair = new DevicePair();
        byte[]? captured = null;
        pair.Network.Filter = (from, _, payload) =>
        {
            if (from == DevicePair.EndpointA && payload[0] == 4 && payload.Length > Constants.MessageKeepaliveSize)
            {
                captured = payload;
            }
            return true;
        };
        pair.Connect();
        Assert.NotNull(captured);
        var index = BinaryPrimitives.ReadUInt32LittleEndian(captured.AsSpan(4));
        var flipped = (byte[])captured.Clone();
        flipped[^1] ^= 0x01;
        var unknownIndex = (byte[])captured.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(unknownIndex.AsSpan(4), index + 1);

        (byte[] Message, DropReason Reason)[] cases =
        [
            (new byte[3], DropReason.Malformed),
            (Message(1, 20), DropReason.Malformed),
            (Message(1, 147), DropReason.Malformed),
            (Message(1, 149), DropReason.Malformed),
            (Message(2, 91), DropReason.Malformed),
            (Message(3, 65), DropReason.Malformed),
            (Message(4, 31), DropReason.Malformed),
            (Message(5, 148), DropReason.Malformed),
            (Message(1, 148, m => m[1] = 1), DropReason.Malformed),
            (Message(1, 148), DropReason.Unauthenticated),
            (Message(2, 92), DropReason.Unauthenticated),
            (Message(3, 64), DropReason.UnknownIndex),
            (Message(4, 32), DropReason.UnknownIndex),
            (unknownIndex, DropReason.UnknownIndex),
            (flipped, DropReason.DecryptionFailed),
            (captured, DropReason.Replayed),
        ];
        foreach (var (message, reason) in cases)
        {
            var before = pair.B.Counters[reason];
            Assert.True(pair.Network.Deliver(Attacker, DevicePair.EndpointB, message));
            Assert.True(DevicePair.Eventually(() => pair.B.Counters[reason] == before + 1), $"{reason} for a {message.Length}-byte type {message[0]} message");
        }
        Assert.Equal(cases.Length, pair.B.Counters.TotalDrops);
        Assert.Equal(0, pair.TunB.Written);
        Assert.Equal(DevicePair.EndpointA, pair.PeerAOnB.Endpoint);

        var packet = Packets.WithSequence("10.0.0.1", "10.0.0.2", 9);
        Assert.Equal(packet, pair.SendAToB(packet));
        Assert.Empty(pair.Errors);
    }

    [Fact]
    public void Random_datagrams_of_every_type_and_size_never_break_the_device()
    {
        using var pair = new DevicePair();
        pair.Connect();
        var random = new Random(1234);
        for (var i = 0; i < 20_000; i++)
        {
            var length = random.Next(0, 200);
            var message = new byte[length];
            random.NextBytes(message);
            if (length >= 4 && random.Next(4) > 0)
            {
                message[0] = (byte)random.Next(1, 5);
                message[1] = message[2] = message[3] = 0;
            }
            Assert.True(DevicePair.Eventually(() => pair.Network.Deliver(Attacker, DevicePair.EndpointB, message)));
            Assert.True(DevicePair.Eventually(() => pair.Network.Deliver(Attacker, DevicePair.EndpointA, message)));
        }
        var packet = Packets.WithSequence("10.0.0.2", "10.0.0.1", 1);
        Assert.Equal(packet, pair.SendBToA(packet));
        // Every junk datagram is dropped and counted exactly once (malformed, unauthenticated, unknown index or queue full).
        Assert.True(DevicePair.Eventually(() => pair.B.Counters.TotalDrops == 20_000), $"B counted {pair.B.Counters.TotalDrops}");
        Assert.True(DevicePair.Eventually(() => pair.A.Counters.TotalDrops == 20_000), $"A counted {pair.A.Counters.TotalDrops}");
        Assert.Empty(pair.Errors);
    }

    [Fact]
    public void Under_a_flood_of_replayed_initiations_the_device_answers_with_cookies_and_a_legitimate_peer_still_connects()
    {
        using var pair = new DevicePair();
        byte[]? initiation = null;
        pair.Network.Filter = (from, _, payload) =>
        {
            if (from == DevicePair.EndpointA && payload[0] == 1)
            {
                initiation ??= payload;
            }
            return true;
        };
        pair.Connect();
        pair.Network.Filter = null;
        Assert.NotNull(initiation);
        // Both sides forget the session (new peer objects), so the replayed initiation is fresh to B once.
        var resetA = DevicePair.Configure(pair.KeyA, DevicePair.PortA, pair.KeyB, DevicePair.EndpointB, "10.0.0.2/32");
        resetA.ReplacePeers = true;
        pair.A.Apply(resetA);
        var resetB = DevicePair.Configure(pair.KeyB, DevicePair.PortB, pair.KeyA, null, "10.0.0.1/32");
        resetB.ReplacePeers = true;
        pair.B.Apply(resetB);

        using var stop = new CancellationTokenSource();
        var sent = 0;
        var flood = new Thread(() =>
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!stop.IsCancellationRequested && DateTime.UtcNow < deadline)
            {
                // The flood saturates B's handshake handling, not the link: it leaves room in B's inbox, or A's datagrams
                // would be lost on the way whatever B did with them.
                var source = new Endpoint(0, 0xFFFF_CB00_7100UL | (uint)(sent % 200), 7000);
                if (pair.BindB.Unfinished < 5_000 && pair.Network.Deliver(source, DevicePair.EndpointB, initiation))
                {
                    Interlocked.Increment(ref sent);
                }
                else
                {
                    Thread.Yield();
                }
            }
        });
        flood.Start();
        try
        {
            // The legitimate peer starts only once the flood is under way, however fast or slow this machine runs either side.
            Assert.True(DevicePair.Eventually(() => Volatile.Read(ref sent) >= 50_000 && pair.B.Counters.CookieRepliesSent > 0),
                $"the flood sent {Volatile.Read(ref sent)} initiations and drew {pair.B.Counters.CookieRepliesSent} cookie replies");
            pair.TunA.Inject(Packets.WithSequence("10.0.0.1", "10.0.0.2", 1));
            byte[]? delivered = null;
            for (var attempt = 0; attempt < 8 && delivered is null; attempt++)
            {
                pair.Time.Advance(TimeSpan.FromSeconds(5.5));
                delivered = pair.TunB.Take(TimeSpan.FromSeconds(1));
            }
            Assert.True(delivered is not null, $"A's packet never arrived. B: {Describe(pair.B.Counters)}; A: {Describe(pair.A.Counters)}");
            Assert.True(flood.IsAlive, "the flood ended before the legitimate peer connected");
        }
        finally
        {
            stop.Cancel();
            flood.Join();
        }
        Assert.Empty(pair.Errors);
    }

    [Fact]
    public void Under_load_an_initiation_without_mac2_gets_a_cookie_and_the_retry_carrying_it_completes()
    {
        using var pair = new DevicePair();
        pair.B.MarkUnderLoad();
        pair.TunA.Inject(Packets.WithSequence("10.0.0.1", "10.0.0.2", 1));
        Assert.True(DevicePair.Eventually(() => pair.B.Counters.CookieRepliesSent == 1));
        Assert.True(DevicePair.Eventually(() => pair.PeerBOnA.Handshake!.Cookies.HasFreshCookie(pair.Time.GetUtcNow())));
        Assert.Null(pair.PeerAOnB.Keypairs.Next);

        byte[]? delivered = null;
        for (var step = 0; step < 10 && delivered is null; step++)
        {
            pair.B.MarkUnderLoad();
            pair.Advance(TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(0.9));
            delivered = pair.TunB.Take(TimeSpan.Zero);
        }
        Assert.NotNull(delivered);
        Assert.Equal(1, pair.B.Counters.CookieRepliesSent);
        Assert.Empty(pair.Errors);
    }
    /// <summary>
    /// Under load the rate limit is charged before the queue, for messages without mac2 too: a source past its burst gets
    /// no more cookie replies (its initiations are dropped as rate_limited where they are read), while another source
    /// still gets its reply.
    /// </summary>
    [Fact]
    public void Under_load_a_source_past_its_burst_is_dropped_before_the_queue_and_another_source_still_gets_a_cookie()
    {
        using var pair = new DevicePair();
        var initiation = pair.CaptureInitiationFromA();
        pair.Network.Filter = null;
        pair.Network.Discard = true;
        pair.B.MarkUnderLoad();
        const int Flood = 100;
        for (var i = 0; i < Flood; i++)
        {
            Assert.True(pair.Network.Deliver(Attacker, DevicePair.EndpointB, initiation));
        }
        Assert.True(DevicePair.Eventually(() => pair.B.Counters[DropReason.RateLimited] + pair.B.Counters.CookieRepliesSent == Flood),
            $"{pair.B.Counters[DropReason.RateLimited]} rate limited, {pair.B.Counters.CookieRepliesSent} cookie replies");
        Assert.Equal(HandshakeRateLimiter.PacketsBurstable, pair.B.Counters.CookieRepliesSent);

        Assert.True(pair.Network.Deliver(DevicePair.EndpointA, DevicePair.EndpointB, initiation));
        Assert.True(DevicePair.Eventually(() => pair.B.Counters.CookieRepliesSent == HandshakeRateLimiter.PacketsBurstable + 1));
        Assert.Equal(Flood - HandshakeRateLimiter.PacketsBurstable, pair.B.Counters[DropReason.RateLimited]);
        Assert.Empty(pair.Errors);
    }
    /// <summary>The limit keeps the queue short, so its refusals keep the device under load past the second the queue alone would give.</summary>
    [Fact]
    public void A_refusal_by_the_rate_limit_keeps_the_device_under_load()
    {
        using var pair = new DevicePair();
        var initiation = pair.CaptureInitiationFromA();
        pair.Network.Discard = true;
        pair.B.MarkUnderLoad();
        pair.Time.Advance(TimeSpan.FromSeconds(0.9));
        const int Flood = 20;
        for (var i = 0; i < Flood; i++)
        {
            Assert.True(pair.Network.Deliver(Attacker, DevicePair.EndpointB, initiation));
        }
        Assert.True(DevicePair.Eventually(() => pair.B.Counters[DropReason.RateLimited] + pair.B.Counters.CookieRepliesSent == Flood));

        pair.Time.Advance(TimeSpan.FromSeconds(0.6));
        Assert.True(pair.B.IsUnderLoad, "the device left load 1.5 s after it was marked, although its rate limit refused messages 0.6 s ago");
        var cookieReplies = pair.B.Counters.CookieRepliesSent;
        var other = Endpoint.FromIPEndPoint(IPEndPoint.Parse("203.0.113.77:7777"));
        Assert.True(pair.Network.Deliver(other, DevicePair.EndpointB, initiation));
        Assert.True(DevicePair.Eventually(() => pair.B.Counters.CookieRepliesSent == cookieReplies + 1));
        Assert.Empty(pair.Errors);
    }

    private static string Describe(DeviceCounters counters) =>
        $"{counters.HandshakesCompleted} handshakes completed, {counters.CookieRepliesSent} cookie replies sent, dropped {string.Join(", ", counters.Drops().Select(d => $"{d.Count} {d.Reason}"))}";
}
