using Sitewire.Tunnel.Metrics;

namespace Sitewire.Host.Failover;

/// <summary>The agent's state as Prometheus text (for node_exporter's textfile collector or a scrape through a wrapper).</summary>
public static class FailoverMetrics
{
    public static void Write(PrometheusTextWriter writer, FailoverStatus status)
    {
        KeyValuePair<string, string> iface = new("interface", status.Interface);
        writer.WriteFamily("sitewire_failover_switches_total", MetricType.Counter, "Switches of the carried prefixes between relays since the agent started.",
            [new MetricSample([iface], status.Switches)]);
        writer.WriteFamily("sitewire_failover_active", MetricType.Gauge, "1 for the relay that carries the traffic, 0 for the others.",
            status.Relays.Select(relay => new MetricSample([iface, new("relay", relay.Name)], relay.Name == status.Active ? 1 : 0)));
        writer.WriteFamily("sitewire_failover_relay_up", MetricType.Gauge, "1 while the relay answers its probes (after the hold-down), 0 while it is down.",
            status.Relays.Select(relay => new MetricSample([iface, new("relay", relay.Name)], relay.Up ? 1 : 0)));
    }
}
