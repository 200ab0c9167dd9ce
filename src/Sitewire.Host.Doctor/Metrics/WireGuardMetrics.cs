using Sitewire.Host.Linux;
using Sitewire.Tunnel.Metrics;

namespace Sitewire.Host.Metrics;

/// <summary>A per-peer drop counter an engine exposes (sitewired: e.g. reason "replay", "allowed_ips", "decrypt").</summary>
public sealed record PeerDrops(string Interface, string PublicKey, string Reason, long Packets);

/// <summary>
/// Per-peer WireGuard metrics, named like prometheus_wireguard_exporter's so existing dashboards work:
/// wireguard_latest_handshake_seconds, wireguard_sent_bytes_total, wireguard_received_bytes_total, plus
/// wireguard_peers and, when the engine reports them, sitewire_peer_dropped_packets_total{reason}.
/// </summary>
public static class WireGuardMetrics
{
    public static void Write(PrometheusTextWriter writer, IReadOnlyList<WireGuardInterfaceState> interfaces, IReadOnlyList<PeerDrops>? drops = null)
    {
        writer.WriteFamily("wireguard_peers", MetricType.Gauge, "Peers configured on the interface.",
            interfaces.Select(i => new MetricSample([new("interface", i.Name)], i.Peers.Count)));
        var peers = interfaces.SelectMany(i => i.Peers.Select(p => (Interface: i.Name, Peer: p))).ToList();
        writer.WriteFamily("wireguard_latest_handshake_seconds", MetricType.Gauge, "UNIX time of the peer's latest handshake, 0 when none.",
            peers.Select(p => new MetricSample(Labels(p.Interface, p.Peer), p.Peer.LatestHandshake?.ToUnixTimeSeconds() ?? 0)));
        writer.WriteFamily("wireguard_sent_bytes_total", MetricType.Counter, "Bytes sent to the peer.",
            peers.Select(p => new MetricSample(Labels(p.Interface, p.Peer), p.Peer.TransmitBytes)));
        writer.WriteFamily("wireguard_received_bytes_total", MetricType.Counter, "Bytes received from the peer.",
            peers.Select(p => new MetricSample(Labels(p.Interface, p.Peer), p.Peer.ReceiveBytes)));
        if (drops is { Count: > 0 })
        {
            writer.WriteFamily("sitewire_peer_dropped_packets_total", MetricType.Counter, "Packets from or to the peer dropped, by reason.",
                drops.Select(d => new MetricSample([new("interface", d.Interface), new("public_key", d.PublicKey), new("reason", d.Reason)], d.Packets)));
        }
    }

    private static KeyValuePair<string, string>[] Labels(string iface, WireGuardPeerState peer) =>
        [new("interface", iface), new("public_key", peer.PublicKey), new("allowed_ips", string.Join(',', peer.AllowedIps))];
}
