using Sitewire.E2E.Infrastructure;
using Sitewire.Host.Namespaces;
using Xunit.Abstractions;

namespace Sitewire.E2E.Engine;

/// <summary>
/// sitewired's Prometheus endpoint (SITEWIRED_METRICS), scraped over HTTP inside the daemon's namespace: after a
/// handshake and pings the peer's handshake time and byte counters are set; bit-flipped transport messages from
/// an attacker show up as decryption_failed drops, per device and per peer. Without the variable nothing listens.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class MetricsTests(ITestOutputHelper output)
{
    [Fact]
    public void Scrape_shows_the_handshake_bytes_and_counted_drops()
    {
        using var pair = TunnelPair.Create(WireGuardImplementation.Sitewired, WireGuardImplementation.Sitewired, IpFamily.V4, output, MetricsScrape.Environment);
        var attacker = pair.AddAttacker(pair.B, out var daemonEndpoint);
        var transport = CaptureTransportMessage(pair);
        Assert.True(pair.A.PingUntilReply(pair.B.InnerV4, TimeSpan.FromSeconds(5)), pair.Describe());
        Assert.True(pair.B.PingUntilReply(pair.A.InnerV4, TimeSpan.FromSeconds(5)), pair.Describe());
        Assert.Contains($"127.0.0.1:{MetricsScrape.Port}", pair.B.Namespace.Exec("ss", "-Hltn").EnsureSuccess().StandardOutput, StringComparison.Ordinal);

        var peer = $"interface=\"{pair.B.InterfaceName}\",public_key=\"{pair.A.PublicKey}\"";
        var before = MetricsScrape.Fetch(pair.B);
        output.WriteLine(before.Text);
        Assert.InRange(before.Value($"wireguard_latest_handshake_seconds{{{peer}}}"),
            DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds());
        Assert.True(before.Value($"wireguard_received_bytes_total{{{peer}}}") > 0, before.Text);
        Assert.True(before.Value($"wireguard_sent_bytes_total{{{peer}}}") > 0, before.Text);
        Assert.Equal(1, before.Value($"wireguard_peers{{interface=\"{pair.B.InterfaceName}\"}}"));
        Assert.True(before.Value($"sitewire_handshakes_completed_total{{interface=\"{pair.B.InterfaceName}\"}}") >= 1, before.Text);
        Assert.DoesNotContain("PRIVATE", before.Text.ToUpperInvariant(), StringComparison.Ordinal);

        const int flipped = 20;
        using (var injector = new DatagramInjector(attacker, daemonEndpoint))
        {
            var datagrams = Enumerable.Range(0, flipped).Select(i => WireGuardMessages.FlipBit(transport, 16 * 8 + i * 8 + 3));
            Assert.Equal(flipped, injector.SendAll(datagrams, TimeSpan.FromSeconds(5)));
        }
        var deviceDrops = $"sitewire_dropped_packets_total{{interface=\"{pair.B.InterfaceName}\",reason=\"decryption_failed\"}}";
        var peerDrops = $"sitewire_peer_dropped_packets_total{{{peer},reason=\"decryption_failed\"}}";
        MetricsScrape? after = null;
        var counted = Poll.Until(() =>
        {
            after = MetricsScrape.Fetch(pair.B);
            return after.Value(deviceDrops) - before.Value(deviceDrops) >= flipped;
        }, TimeSpan.FromSeconds(5));
        output.WriteLine(after!.Text);
        Assert.True(counted, $"{flipped} bit-flipped transport messages, decryption_failed drops {before.Value(deviceDrops)} → {after.Value(deviceDrops)}");
        Assert.True(after.Value(peerDrops) - before.Value(peerDrops) >= flipped, after.Text);
    }

    [Fact]
    public void Without_the_variable_no_tcp_listener_is_opened()
    {
        using var pair = TunnelPair.Create(WireGuardImplementation.Sitewired, WireGuardImplementation.Sitewired, IpFamily.V4, output);
        Assert.True(pair.Handshake(), pair.Describe());

        var listening = pair.B.Namespace.Exec("ss", "-Hltn").EnsureSuccess().StandardOutput;
        Assert.True(listening.Trim().Length == 0, $"sitewired listens on TCP without SITEWIRED_METRICS:\n{listening}");
    }

    [Theory]
    [InlineData("SITEWIRED_METRICS", "127.0.0.1")]
    [InlineData("SITEWIRED_METRICS", "localhost:9586")]
    [InlineData("SITEWIRED_METRICS", "127.0.0.1:0")]
    [InlineData("SITEWIRED_METRICS_SOCKET", "relative/metrics.sock")]
    public async Task A_bad_value_is_a_usage_error(string variable, string value)
    {
        var prefix = NetworkNamespace.UniquePrefix();
        using var ns = NetworkNamespace.Create(prefix + "m");
        var process = ns.Start(WireGuardImplementation.RequireExecutable(WireGuardImplementation.Sitewired), ["-f", prefix + "w"],
            new Dictionary<string, string> { [variable] = value });
        var reading = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(10)), "sitewired accepted the value and kept running");
        var error = await reading;

        Assert.Equal(2, process.ExitCode);
        Assert.Contains($"{variable}={value}", error, StringComparison.Ordinal);
    }

    private static byte[] CaptureTransportMessage(TunnelPair pair)
    {
        using var capture = PacketCapture.Start(pair.B.Namespace, pair.B.OuterLink, Path.Combine(pair.WorkDirectory, "metrics.pcap"), 4);
        Assert.True(pair.Handshake(), $"no handshake\n{pair.Describe()}");
        var datagrams = capture.Finish(TimeSpan.FromSeconds(5));
        var transport = datagrams.FirstOrDefault(d => d.MessageType == WireGuardMessages.TransportType && d.DestinationPort == pair.B.ListenPort);
        Assert.True(transport is not null, $"no transport message to B among {datagrams.Count} captured datagrams");
        return transport.Payload;
    }
}
