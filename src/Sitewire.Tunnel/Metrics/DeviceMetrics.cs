using System.Text;

namespace Sitewire.Tunnel.Metrics;

/// <summary>
/// A running device's metrics: per peer (labels interface, public_key) the prometheus_wireguard_exporter names
/// wireguard_latest_handshake_seconds, wireguard_sent_bytes_total, wireguard_received_bytes_total and, for reasons
/// the peer has dropped packets for, sitewire_peer_dropped_packets_total{reason}; per device wireguard_peers,
/// sitewire_dropped_packets_total{reason} for every reason, sitewire_cookie_replies_sent_total and
/// sitewire_handshakes_completed_total. Only public keys appear.
/// </summary>
public static class DeviceMetrics
{
    public static void Write(PrometheusTextWriter writer, string interfaceName, Device device)
    {
        var peers = device.Peers;
        var counters = device.Counters;
        KeyValuePair<string, string> iface = new("interface", interfaceName);
        writer.WriteFamily("wireguard_peers", MetricType.Gauge, "Peers configured on the interface.",
            [new MetricSample([iface], peers.Count)]);
        writer.WriteFamily("wireguard_latest_handshake_seconds", MetricType.Gauge, "UNIX time of the peer's latest handshake, 0 when none.",
            peers.Select(p => new MetricSample(PeerLabels(iface, p), p.LastHandshake?.ToUnixTimeSeconds() ?? 0)));
        writer.WriteFamily("wireguard_sent_bytes_total", MetricType.Counter, "Bytes sent to the peer.",
            peers.Select(p => new MetricSample(PeerLabels(iface, p), p.TxBytes)));
        writer.WriteFamily("wireguard_received_bytes_total", MetricType.Counter, "Bytes received from the peer.",
            peers.Select(p => new MetricSample(PeerLabels(iface, p), p.RxBytes)));
        writer.WriteFamily("sitewire_peer_dropped_packets_total", MetricType.Counter,
            "Packets from or to the peer dropped, by reason (reasons with drops only).",
            peers.SelectMany(p => p.Counters.Drops().Where(d => d.Count > 0)
                .Select(d => new MetricSample([.. PeerLabels(iface, p), new("reason", ReasonLabel(d.Reason))], d.Count))));
        writer.WriteFamily("sitewire_dropped_packets_total", MetricType.Counter, "Datagrams and packets the device dropped, by reason.",
            counters.Drops().Select(d => new MetricSample([iface, new("reason", ReasonLabel(d.Reason))], d.Count)));
        writer.WriteFamily("sitewire_cookie_replies_sent_total", MetricType.Counter, "Cookie replies sent while under load.",
            [new MetricSample([iface], counters.CookieRepliesSent)]);
        writer.WriteFamily("sitewire_handshakes_completed_total", MetricType.Counter, "Handshakes completed with any peer.",
            [new MetricSample([iface], counters.HandshakesCompleted)]);
    }

    /// <summary>The reason in snake case: <see cref="DropReason.DecryptionFailed"/> is "decryption_failed".</summary>
    public static string ReasonLabel(DropReason reason)
    {
        var name = reason.ToString();
        var label = new StringBuilder(name.Length + 4);
        foreach (var character in name)
        {
            if (char.IsUpper(character) && label.Length > 0)
            {
                label.Append('_');
            }
            label.Append(char.ToLowerInvariant(character));
        }
        return label.ToString();
    }

    private static KeyValuePair<string, string>[] PeerLabels(KeyValuePair<string, string> iface, Peer peer) =>
        [iface, new("public_key", peer.PublicKey.ToBase64())];
}
