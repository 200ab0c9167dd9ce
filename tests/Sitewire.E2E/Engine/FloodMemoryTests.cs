using Sitewire.E2E.Infrastructure;
using Xunit.Abstractions;

namespace Sitewire.E2E.Engine;

/// <summary>
/// Memory under a flood (README, the bound under floods), from a third namespace at sitewired's port within at most
/// 30 s: 300,000 junk datagrams of random length 0–2000, 70 % with a valid type byte (a quarter of the transport ones
/// carrying the receiver index of the live session, so they reach the crypto workers); or 200,000 replays of a real
/// transport message (each decrypts, then the replay window refuses it). RSS stays under the documented bound
/// throughout, every datagram that reaches its socket is counted as a drop with a reason (the kernel may drop some before, when the socket buffer is full), and afterwards the legitimate peer still
/// handshakes and passes traffic.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class FloodMemoryTests(ITestOutputHelper output)
{
    /// <summary>The README's bound for sitewired's RSS under a flood.</summary>
    private const long BoundKiB = 64 * 1024;
    private const int Datagrams = 300_000;
    private const int Replays = 200_000;

    [Theory]
    [InlineData("junk")]
    [InlineData("replayed")]
    public async Task Rss_stays_under_the_documented_bound_during_a_flood_and_the_peer_still_works(string flood)
    {
        using var pair = TunnelPair.Create(WireGuardImplementation.Sitewired, WireGuardImplementation.Sitewired, IpFamily.V4, output, MetricsScrape.Environment);
        var attacker = pair.AddAttacker(pair.B, out var target);
        Assert.True(pair.Handshake(), pair.Describe());
        Assert.True(pair.A.PingUntilReply(pair.B.InnerV4, TimeSpan.FromSeconds(5)), pair.Describe());
        var transport = CaptureTransport(pair);
        var idle = pair.B.Daemon.ResidentKiB;
        var before = MetricsScrape.Fetch(pair.B);
        var kernelDropsBefore = KernelUdpDrops.Read(pair.B.Namespace);

        using var injector = new DatagramInjector(attacker, target);
        var datagrams = flood == "junk" ? Junk(BitConverter.ToUInt32(transport, 4)) : Enumerable.Repeat(transport, Replays);
        var sending = Task.Run(() => injector.SendAll(datagrams, TimeSpan.FromSeconds(30)));
        var peak = idle;
        while (!sending.IsCompleted)
        {
            peak = Math.Max(peak, pair.B.Daemon.ResidentKiB);
            await Task.WhenAny(sending, Task.Delay(100));
        }
        var sent = await sending;
        Thread.Sleep(TimeSpan.FromSeconds(1));
        peak = Math.Max(peak, pair.B.Daemon.ResidentKiB);
        var after = MetricsScrape.Fetch(pair.B);
        var kernelDrops = KernelUdpDrops.Read(pair.B.Namespace) - kernelDropsBefore;

        var drops = after.Samples("sitewire_dropped_packets_total{")
            .Where(s => !s.Series.Contains("peer=", StringComparison.Ordinal))
            .Select(s => (s.Series, Delta: s.Value - before.Value(s.Series))).Where(d => d.Delta > 0).ToList();
        output.WriteLine($"{flood} flood: {sent} datagrams; RSS idle {idle} KiB, peak {peak} KiB (bound {BoundKiB} KiB)\n"
            + string.Join('\n', drops.Select(d => $"{d.Series} +{d.Delta}")) + $"\ndropped by the kernel before the socket: {kernelDrops}");
        Assert.True(pair.B.Daemon.IsRunning, pair.Describe());
        Assert.True(peak < BoundKiB, $"RSS peaked at {peak} KiB under the flood (idle {idle} KiB), over the {BoundKiB} KiB bound");
        Assert.True(drops.Sum(d => d.Delta) >= (sent - kernelDrops) * 0.99,
            $"{sent} junk datagrams, {kernelDrops} dropped by the kernel, {drops.Sum(d => d.Delta)} drops counted by sitewired");
        string[] reasons = flood == "junk" ? ["malformed", "unknown_index", "decryption_failed"] : ["replayed"];
        foreach (var reason in reasons)
        {
            Assert.Contains(drops, d => d.Series.Contains($"reason=\"{reason}\"", StringComparison.Ordinal));
        }

        pair.ResetInitiatorPeer();
        Assert.True(pair.Handshake(timeout: TimeSpan.FromSeconds(15)), $"no new handshake after the flood\n{pair.Describe()}");
        Assert.True(pair.A.PingUntilReply(pair.B.InnerV4, TimeSpan.FromSeconds(5)), $"A → B stopped working\n{pair.Describe()}");
        Assert.True(pair.B.PingUntilReply(pair.A.InnerV4, TimeSpan.FromSeconds(5)), $"B → A stopped working\n{pair.Describe()}");
    }

    /// <summary>A transport message A sent B (its receiver index is B's local index of the live session).</summary>
    private static byte[] CaptureTransport(TunnelPair pair)
    {
        using var capture = PacketCapture.Start(pair.B.Namespace, pair.B.OuterLink, Path.Combine(pair.WorkDirectory, "transport.pcap"), 1,
            "udp and udp[8] = 4");
        Assert.True(pair.A.PingUntilReply(pair.B.InnerV4, TimeSpan.FromSeconds(5)), pair.Describe());
        var transport = capture.Finish(TimeSpan.FromSeconds(5)).FirstOrDefault(d => d.MessageType == WireGuardMessages.TransportType);
        Assert.True(transport is not null, "no transport message captured");
        return transport.Payload;
    }

    private static IEnumerable<byte[]> Junk(uint liveIndex)
    {
        var random = new Random(300_000);
        for (var i = 0; i < Datagrams; i++)
        {
            var datagram = new byte[random.Next(0, 2001)];
            random.NextBytes(datagram);
            if (datagram.Length >= 4 && random.NextDouble() < 0.7)
            {
                datagram[0] = (byte)random.Next(1, 5);
                datagram[1] = datagram[2] = datagram[3] = 0;
                if (datagram[0] == WireGuardMessages.TransportType && datagram.Length >= WireGuardMessages.TransportMinimumSize && random.Next(4) == 0)
                {
                    BitConverter.TryWriteBytes(datagram.AsSpan(4), liveIndex);
                }
            }
            yield return datagram;
        }
    }
}
