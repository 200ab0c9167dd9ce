using System.Diagnostics;
using System.Globalization;
using System.Net;
using Sitewire.Crypto;
using Sitewire.E2E.Infrastructure;
using Xunit.Abstractions;

namespace Sitewire.E2E.Engine;

/// <summary>
/// A sustained flood of initiations with a valid mac1 for sitewired's key (README, the bound under floods), from a
/// third namespace with 64 addresses × 4 ports, as fast as the flooder can send, for at least 20 s: half of the
/// addresses answer cookie replies with a valid mac2 (and so meet the per-source rate limit), the other half never
/// do. sitewired must go under load (cookie replies), let through to the Diffie-Hellman at most what the per-address
/// rate limit allows, keep its RSS under the documented bound, count every flood datagram that reaches its socket as a
/// drop with a reason or a cookie reply — and a real wireguard-go peer must still handshake (through the cookie
/// exchange) and ping both ways during the flood.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class InitiationFloodTests(ITestOutputHelper output)
{
    private const long BoundKiB = 64 * 1024;
    private const int Addresses = 64;
    private const int PortsPerAddress = 4;
    private static readonly TimeSpan MinimumFlood = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan FloodLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan UnderLoadWithin = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan HandshakeWithin = TimeSpan.FromSeconds(25);

    [Fact]
    public async Task Under_an_initiation_flood_from_many_sources_sitewired_stays_bounded_and_a_wireguard_go_peer_still_handshakes()
    {
        using var pair = TunnelPair.Create(WireGuardImplementation.WireGuardGo, WireGuardImplementation.Sitewired, IpFamily.V4, output,
            MetricsScrape.Environment);
        var attacker = pair.AddAttacker(pair.B, out var target);
        var addresses = Enumerable.Range(100, Addresses).Select(i => IPAddress.Parse($"10.202.0.{i}")).ToList();
        foreach (var address in addresses)
        {
            attacker.Exec("ip", "addr", "add", $"{address}/24", "dev", pair.Prefix + "xc").EnsureSuccess();
        }
        Assert.True(pair.Handshake(), pair.Describe());
        var idleKiB = pair.B.Daemon.ResidentKiB;
        var before = MetricsScrape.Fetch(pair.B);
        var kernelDropsBefore = KernelUdpDrops.Read(pair.B.Namespace);
        var cpuBefore = pair.B.Daemon.ProcessorTime;

        using var flooder = new InitiationFlooder(attacker, addresses, PortsPerAddress, address => address.GetAddressBytes()[3] % 2 == 0, target,
            Key.ParseBase64(pair.B.PublicKey));
        using var stop = new CancellationTokenSource();
        var floodClock = Stopwatch.StartNew();
        var flood = Task.Factory.StartNew(() => flooder.Run(FloodLimit, stop.Token), TaskCreationOptions.LongRunning);
        await using var peak = new ResidentPeak(pair.B.Daemon);

        var cookieRepliesBefore = before.Value(CookieReplies(pair));
        var underLoad = Poll.Until(() => MetricsScrape.Fetch(pair.B).Value(CookieReplies(pair)) > cookieRepliesBefore || flood.IsCompleted, UnderLoadWithin)
            && !flood.IsCompleted;
        var handshakeClock = Stopwatch.StartNew();
        pair.ResetInitiatorPeer();
        var handshake = underLoad && pair.Handshake(timeout: HandshakeWithin);
        var handshakeTime = handshakeClock.Elapsed;
        var pingsBack = handshake && pair.B.PingUntilReply(pair.A.InnerV4, TimeSpan.FromSeconds(10));
        var pingReplies = Enumerable.Range(0, 10).Count(_ => handshake && pair.A.PingOnce(pair.B.InnerV4));
        var floodWasRunning = !flood.IsCompleted;
        Poll.Until(() => floodClock.Elapsed >= MinimumFlood || flood.IsCompleted, MinimumFlood);
        stop.Cancel();
        var result = await flood;
        var cpu = pair.B.Daemon.ProcessorTime - cpuBefore;
        Thread.Sleep(TimeSpan.FromSeconds(1));
        var after = MetricsScrape.Fetch(pair.B);
        var kernelDrops = KernelUdpDrops.Read(pair.B.Namespace) - kernelDropsBefore;
        Thread.Sleep(TimeSpan.FromSeconds(4));
        await peak.DisposeAsync();
        var peakKiB = peak.KiB;
        var afterKiB = pair.B.Daemon.ResidentKiB;

        var drops = after.Samples("sitewire_dropped_packets_total{")
            .Where(s => !s.Series.Contains("peer=", StringComparison.Ordinal))
            .Select(s => (s.Series, Delta: (long)(s.Value - before.Value(s.Series)))).Where(d => d.Delta > 0).ToList();
        long Dropped(string reason) => drops.Where(d => d.Series.Contains($"reason=\"{reason}\"", StringComparison.Ordinal)).Sum(d => d.Delta);
        var cookieRepliesSent = (long)(after.Value(CookieReplies(pair)) - cookieRepliesBefore);
        var answeringAddresses = addresses.Count(a => a.GetAddressBytes()[3] % 2 == 0);
        var seconds = result.Duration.TotalSeconds;
        var diffieHellmanAllowance = (long)(answeringAddresses * (20 * seconds + 5)) + 2 * 1024;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"""
            initiation flood: {result.Sent} initiations (valid mac1) in {seconds:0.0} s ({result.Sent / seconds:0}/s) from {flooder.Sources} sources ({Addresses} addresses × {PortsPerAddress} ports, {answeringAddresses} addresses answering cookies)
            flooder: {result.CookieReplies} cookie replies received, {result.SourcesWithCookie} sources sending with a valid mac2 at the end
            sitewired: {cookieRepliesSent} cookie replies sent; CPU {cpu.TotalSeconds:0.0} s over {seconds:0.0} s ({cpu.TotalSeconds / seconds:0.00} cores)
            RSS: idle {idleKiB} KiB, peak {peakKiB} KiB, 5 s after {afterKiB} KiB (bound {BoundKiB} KiB)
            drops by reason: {string.Join(", ", drops.Select(d => $"{d.Series[(d.Series.IndexOf("reason=", StringComparison.Ordinal) + 8)..^2]} {d.Delta}"))}; dropped by the kernel before the socket: {kernelDrops}
            legitimate wireguard-go handshake during the flood: {(handshake ? "completed" : "failed")} after {handshakeTime.TotalSeconds:0.0} s; B → A ping {(pingsBack ? "answered" : "unanswered")}; A → B {pingReplies}/10 pings answered
            """));

        Assert.True(underLoad, $"sitewired sent no cookie reply within {UnderLoadWithin.TotalSeconds:0} s of the flood\n{pair.Describe()}");
        Assert.True(handshake, $"the wireguard-go peer did not handshake within {HandshakeWithin.TotalSeconds:0} s during the flood\n{pair.Describe()}");
        Assert.True(floodWasRunning, "the flood had ended before the handshake and the pings were done");
        Assert.True(pingsBack, $"B → A got no ping reply during the flood\n{pair.Describe()}");
        Assert.True(pingReplies >= 5, $"only {pingReplies} of 10 pings A → B answered during the flood");
        Assert.True(pair.B.Daemon.IsRunning, pair.Describe());
        Assert.True(peakKiB < BoundKiB, $"RSS peaked at {peakKiB} KiB (idle {idleKiB} KiB), over the {BoundKiB} KiB bound");
        Assert.True(result.SourcesWithCookie > 0, "no flooding source got a cookie it could open");
        Assert.True(Dropped("rate_limited") > 0, "no initiation was refused by the per-source rate limit");
        Assert.True(Dropped("unauthenticated") <= diffieHellmanAllowance,
            $"{Dropped("unauthenticated")} flood initiations reached the Diffie-Hellman, more than the rate limit allows {answeringAddresses} addresses in {seconds:0.0} s plus the queue before load ({diffieHellmanAllowance})");
        var counted = drops.Sum(d => d.Delta) + cookieRepliesSent;
        Assert.True(counted >= (result.Sent - kernelDrops) * 0.99,
            $"{result.Sent} initiations sent, {kernelDrops} dropped by the kernel, but sitewired counted only {counted} drops and cookie replies");
    }

    private static string CookieReplies(TunnelPair pair) => $"sitewire_cookie_replies_sent_total{{interface=\"{pair.B.InterfaceName}\"}}";
}
