using Sitewire.Tunnel.Metrics;
using Sitewire.Tunnel.Tests.Device;

namespace Sitewire.Tunnel.Tests.Metrics;

public class DeviceMetricsTests
{
    [Fact]
    public void Peer_and_device_counters_with_public_keys_only()
    {
        using var pair = new DevicePair(start: false);
        pair.PeerBOnA.Drop(DropReason.DecryptionFailed);
        pair.PeerBOnA.Drop(DropReason.DecryptionFailed);
        var output = new StringWriter();

        DeviceMetrics.Write(new PrometheusTextWriter(output), "wg0", pair.A);
        var text = output.ToString();

        var peer = $"interface=\"wg0\",public_key=\"{pair.KeyB.PublicKey().ToBase64()}\"";
        Assert.Contains("wireguard_peers{interface=\"wg0\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains($"wireguard_latest_handshake_seconds{{{peer}}} 0\n", text, StringComparison.Ordinal);
        Assert.Contains($"wireguard_received_bytes_total{{{peer}}} 0\n", text, StringComparison.Ordinal);
        Assert.Contains($"sitewire_peer_dropped_packets_total{{{peer},reason=\"decryption_failed\"}} 2\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain($"sitewire_peer_dropped_packets_total{{{peer},reason=\"malformed\"}}", text, StringComparison.Ordinal);
        Assert.Contains("sitewire_dropped_packets_total{interface=\"wg0\",reason=\"decryption_failed\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("sitewire_dropped_packets_total{interface=\"wg0\",reason=\"source_not_allowed\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("sitewire_handshakes_completed_total{interface=\"wg0\"} 0\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain(pair.KeyA.ToBase64(), text, StringComparison.Ordinal);
        Assert.DoesNotContain(pair.KeyB.ToBase64(), text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DropReason.Malformed, "malformed")]
    [InlineData(DropReason.UnknownIndex, "unknown_index")]
    [InlineData(DropReason.HandshakeQueueFull, "handshake_queue_full")]
    public void Reasons_are_snake_case_labels(DropReason reason, string label) => Assert.Equal(label, DeviceMetrics.ReasonLabel(reason));
}
