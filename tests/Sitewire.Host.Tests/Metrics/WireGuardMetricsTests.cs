using Sitewire.Host.Linux;
using Sitewire.Host.Metrics;
using Sitewire.Tunnel.Metrics;

namespace Sitewire.Host.Tests.Metrics;

public class WireGuardMetricsTests
{
    [Fact]
    public void Peer_metrics_from_the_relays_dump()
    {
        var output = new StringWriter();
        WireGuardMetrics.Write(new PrometheusTextWriter(output), WireGuardDump.Parse(Recorded.Read("relay.wg-dump.txt")),
            [new PeerDrops("wireguard0", "116NS0QQwp2le5onudaK18lKeUdVZfs/6J+PEeXBrzk=", "replay", 2)]);
        var text = output.ToString();

        Assert.Contains("wireguard_peers{interface=\"wireguard0\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("wireguard_latest_handshake_seconds{interface=\"wireguard0\",public_key=\"116NS0QQwp2le5onudaK18lKeUdVZfs/6J+PEeXBrzk=\",allowed_ips=\"192.168.200.1/32,172.18.3.0/24,172.17.50.0/24\"} 1795646411\n", text, StringComparison.Ordinal);
        Assert.Contains("wireguard_received_bytes_total{interface=\"wireguard0\",public_key=\"116NS0QQwp2le5onudaK18lKeUdVZfs/6J+PEeXBrzk=\",allowed_ips=\"192.168.200.1/32,172.18.3.0/24,172.17.50.0/24\"} 3028\n", text, StringComparison.Ordinal);
        Assert.Contains("sitewire_peer_dropped_packets_total{interface=\"wireguard0\",public_key=\"116NS0QQwp2le5onudaK18lKeUdVZfs/6J+PEeXBrzk=\",reason=\"replay\"} 2\n", text, StringComparison.Ordinal);
        Assert.Equal(1, text.Split('\n').Count(l => l == "# TYPE wireguard_sent_bytes_total counter"));
    }
}
