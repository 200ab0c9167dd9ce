using Sitewire.Crypto;
using Sitewire.E2E.Infrastructure;
using Xunit.Abstractions;

namespace Sitewire.E2E.Engine;

/// <summary>
/// Malformed input: every message type (1–4), taken from real traffic captured on the wire (type 3, which only
/// appears under load, is crafted), truncated, oversized, with every single bit flipped, and replayed as is, is
/// sent at a daemon with an established tunnel. Nothing may authenticate: no byte counted as received from the
/// peer, no packet on the TUN device, the peer's endpoint unchanged; the daemon keeps running and the tunnel works.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class MalformedInputTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(ImplementationMatrix.UnderTest), MemberType = typeof(ImplementationMatrix))]
    public void Truncated_oversized_bit_flipped_and_replayed_messages_are_dropped_and_the_tunnel_survives(string target, string peer)
    {
        using var pair = TunnelPair.Create(peer, target, IpFamily.V4, output, MetricsScrape.Environment);
        var attacker = pair.AddAttacker(pair.B, out var daemonEndpoint);
        var samples = CaptureSamples(pair);
        // The last packet B authenticated is the reply to B's own ping: no passive keepalive from A is due for 10 s.
        Assert.True(pair.B.PingUntilReply(pair.A.InnerV4, TimeSpan.FromSeconds(5)), pair.Describe());
        var before = pair.B.PeerStatus();
        var tunnelPacketsBefore = pair.B.TunnelReceivedPackets();
        var countsDrops = target == WireGuardImplementation.Sitewired;
        var metricsBefore = countsDrops ? MetricsScrape.Fetch(pair.B) : null;

        var malformed = MalformedMessages(samples, Key.ParseBase64(pair.B.PublicKey)).ToList();
        using (var injector = new DatagramInjector(attacker, daemonEndpoint))
        {
            Assert.Equal(malformed.Count, injector.SendAll(malformed, TimeSpan.FromSeconds(8)));
        }
        Thread.Sleep(TimeSpan.FromSeconds(1));

        output.WriteLine($"sent {malformed.Count} malformed datagrams at {pair.B.Daemon.Implementation}");
        Assert.True(pair.B.Daemon.IsRunning, $"the daemon died\n{pair.Describe()}");
        var after = pair.B.PeerStatus();
        Assert.True(before.ReceivedBytes == after.ReceivedBytes,
            $"malformed input was authenticated: rx bytes from the peer went {before.ReceivedBytes} → {after.ReceivedBytes}\n{pair.Describe()}");
        Assert.True(before.Endpoint == after.Endpoint, $"malformed input moved the peer's endpoint {before.Endpoint} → {after.Endpoint}\n{pair.Describe()}");
        var tunnelPacketsAfter = pair.B.TunnelReceivedPackets();
        Assert.True(tunnelPacketsBefore == tunnelPacketsAfter,
            $"malformed input reached the TUN device: rx_packets went {tunnelPacketsBefore} → {tunnelPacketsAfter}\n{pair.Describe()}");
        if (metricsBefore is not null)
        {
            AssertDroppedAndCounted(metricsBefore, MetricsScrape.Fetch(pair.B), malformed.Count);
        }
        Assert.True(pair.A.PingUntilReply(pair.B.InnerV4, TimeSpan.FromSeconds(5)), $"A → B stopped working\n{pair.Describe()}");
        Assert.True(pair.B.PingUntilReply(pair.A.InnerV4, TimeSpan.FromSeconds(5)), $"B → A stopped working\n{pair.Describe()}");
    }

    /// <summary>sitewired counts every malformed datagram: as a drop by reason, or as answered with a cookie reply.</summary>
    private void AssertDroppedAndCounted(MetricsScrape before, MetricsScrape after, int sent)
    {
        var deltas = after.Samples("sitewire_dropped_packets_total{")
            .Select(s => (s.Series, Delta: s.Value - before.Value(s.Series)))
            .Where(d => d.Delta != 0)
            .ToList();
        var cookieReplies = after.Samples("sitewire_cookie_replies_sent_total{").Sum(s => s.Value - before.Value(s.Series));
        output.WriteLine(string.Join('\n', deltas.Select(d => $"{d.Series} +{d.Delta}")) + $"\ncookie replies +{cookieReplies}");
        Assert.True(deltas.Sum(d => d.Delta) + cookieReplies >= sent,
            $"{sent} malformed datagrams, {deltas.Sum(d => d.Delta)} drops and {cookieReplies} cookie replies counted");
    }

    /// <summary>One real message of types 1, 2 and 4 seen on B's link during the first handshake and pings.</summary>
    private static Dictionary<byte, byte[]> CaptureSamples(TunnelPair pair)
    {
        using var capture = PacketCapture.Start(pair.B.Namespace, pair.B.OuterLink, Path.Combine(pair.WorkDirectory, "sample.pcap"), 4);
        Assert.True(pair.Handshake(), $"no handshake\n{pair.Describe()}");
        var datagrams = capture.Finish(TimeSpan.FromSeconds(5));
        var samples = new Dictionary<byte, byte[]>();
        foreach (var type in new[] { WireGuardMessages.InitiationType, WireGuardMessages.ResponseType, WireGuardMessages.TransportType })
        {
            var sample = datagrams.FirstOrDefault(d => d.MessageType == type);
            Assert.True(sample is not null, $"no message of type {type} among {datagrams.Count} captured datagrams");
            samples[type] = sample.Payload;
        }
        return samples;
    }

    private static IEnumerable<byte[]> MalformedMessages(Dictionary<byte, byte[]> samples, Key targetKey)
    {
        var random = new Random(1234);
        samples[WireGuardMessages.CookieReplyType] = WireGuardMessages.Random(random, WireGuardMessages.CookieReplyType, targetKey, validMac1: false);
        yield return [];
        foreach (var (type, sample) in samples)
        {
            yield return sample;
            foreach (var length in new[] { 1, 3, 4, 8, 16, sample.Length / 2, sample.Length - 16, sample.Length - 1 })
            {
                yield return WireGuardMessages.Resize(random, sample, length);
            }
            foreach (var length in new[] { sample.Length + 1, sample.Length + 16, sample.Length + 100, 1400 })
            {
                yield return WireGuardMessages.Resize(random, sample, length);
            }
            for (var bit = 0; bit < sample.Length * 8; bit++)
            {
                yield return WireGuardMessages.FlipBit(sample, bit);
            }
            if (type is WireGuardMessages.InitiationType or WireGuardMessages.ResponseType)
            {
                var validMac = (byte[])sample.Clone();
                WireGuardMessages.WriteMac1(validMac, targetKey);
                yield return WireGuardMessages.FlipBit(validMac, 8 * 8);
            }
        }
    }
}
