using System.Collections.Concurrent;
using System.Net;
using Sitewire.Tunnel.Io;
using Sitewire.Tunnel.RateLimiting;
using Sitewire.Tunnel.Tests.Doubles;

namespace Sitewire.Tunnel.Tests.Device;

/// <summary>With verbose logging a drop is named with its reason, peer and endpoint, and a cookie reply is logged; both rate-limited.</summary>
public sealed class DropLogTests
{
    private static readonly Endpoint Attacker = Endpoint.FromIPEndPoint(new IPEndPoint(IPAddress.Parse("198.51.100.7"), 4444));
    private readonly ConcurrentQueue<string> _lines = new();

    [Fact]
    public void A_flood_of_malformed_datagrams_logs_one_line_a_second_with_the_source_and_the_count_held_back()
    {
        using var pair = new DevicePair(logVerbose: _lines.Enqueue);

        Flood(pair, [9, 9, 9, 9], 1000);
        Assert.True(DevicePair.Eventually(() => pair.B.Counters[DropReason.Malformed] == 1000));
        pair.Time.Advance(TimeSpan.FromSeconds(1));
        Flood(pair, [9, 9, 9, 9], 1);
        Assert.True(DevicePair.Eventually(() => pair.B.Counters[DropReason.Malformed] == 1001 && Lines("dropped: malformed").Length == 2));

        var lines = Lines("dropped: malformed");
        Assert.Equal(2, lines.Length);
        Assert.Equal("dropped: malformed (malformed datagram), endpoint 198.51.100.7:4444", lines[0]);
        Assert.Equal("dropped: malformed (malformed datagram), endpoint 198.51.100.7:4444 (999 more like it since the last such line)", lines[1]);
    }

    [Fact]
    public void A_transport_message_that_fails_to_decrypt_names_the_peer_by_its_short_key_and_nothing_secret()
    {
        using var pair = new DevicePair(logVerbose: _lines.Enqueue);
        byte[]? transport = null;
        pair.Network.Filter = (from, _, payload) =>
        {
            if (from == DevicePair.EndpointA && payload[0] == 4 && payload.Length > 32)
            {
                Interlocked.CompareExchange(ref transport, payload, null);
            }
            return true;
        };
        pair.Connect();
        pair.Network.Filter = null;
        var tampered = (byte[])transport!.Clone();
        tampered[20] ^= 1;

        Assert.True(pair.Network.Deliver(Attacker, DevicePair.EndpointB, tampered));
        Assert.True(DevicePair.Eventually(() => Lines("dropped: decryption_failed").Length > 0));
        Assert.Equal(1, pair.PeerAOnB.Counters[DropReason.DecryptionFailed]);

        var line = Assert.Single(Lines("dropped: decryption_failed"));
        Assert.Equal($"dropped: decryption_failed (transport message failed to decrypt), peer {pair.PeerAOnB}, endpoint 198.51.100.7:4444", line);
        var keys = new[] { pair.KeyA, pair.KeyB }.SelectMany(k => new[] { k.ToBase64(), k.PublicKey().ToBase64() });
        Assert.All(_lines, l => Assert.DoesNotContain(keys, key => l.Contains(key, StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("10.0.0.1", "10.9.9.9", "10.9.9.9")]
    [InlineData("fd00::1", "fd09::9", "fd09::9")]
    public void A_packet_to_no_peer_is_logged_with_its_destination(string source, string destination, string shown)
    {
        using var pair = new DevicePair(logVerbose: _lines.Enqueue);

        pair.TunA.Inject(Packets.WithSequence(source, destination, 1));
        Assert.True(DevicePair.Eventually(() => Lines("dropped: no_route").Length > 0));

        Assert.Equal([$"dropped: no_route (destination in no peer's allowed-ips), destination {shown}"], Lines("dropped: no_route"));
    }

    [Fact]
    public void Cookie_replies_under_load_are_logged_once_a_second()
    {
        using var pair = new DevicePair(logVerbose: _lines.Enqueue);
        var initiation = pair.CaptureInitiationFromA();
        pair.B.MarkUnderLoad();

        Flood(pair, initiation, HandshakeRateLimiter.PacketsBurstable);
        Assert.True(DevicePair.Eventually(() => pair.B.Counters.CookieRepliesSent == HandshakeRateLimiter.PacketsBurstable));
        pair.Settle();

        Assert.Equal(["under load: sent a cookie reply to 198.51.100.7:4444"], Lines("under load:"));
    }

    private static void Flood(DevicePair pair, byte[] datagram, int count)
    {
        for (var sent = 0; sent < count;)
        {
            if (pair.Network.Deliver(Attacker, DevicePair.EndpointB, datagram))
            {
                sent++;
            }
            else
            {
                Thread.Yield();
            }
        }
    }

    private string[] Lines(string prefix) => [.. _lines.Where(l => l.StartsWith(prefix, StringComparison.Ordinal))];
}
