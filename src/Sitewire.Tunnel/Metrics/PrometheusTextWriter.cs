using System.Globalization;
using System.Text;

namespace Sitewire.Tunnel.Metrics;

public enum MetricType
{
    Counter,
    Gauge,
}

/// <summary>One sample of a metric family: label pairs in order, and the value.</summary>
public sealed record MetricSample(IReadOnlyList<KeyValuePair<string, string>> Labels, double Value);

/// <summary>
/// Writes the Prometheus text exposition format (version 0.0.4): per family one `# HELP` and `# TYPE` line, then
/// its samples together; label values escaped (backslash, quote, newline). Shared by `sitewire doctor --metrics`
/// and sitewired's metrics endpoint.
/// </summary>
public sealed class PrometheusTextWriter(TextWriter output)
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public void WriteFamily(string name, MetricType type, string help, IEnumerable<MetricSample> samples)
    {
        output.Write($"# HELP {name} {EscapeHelp(help)}\n");
        output.Write($"# TYPE {name} {(type == MetricType.Counter ? "counter" : "gauge")}\n");
        foreach (var sample in samples)
        {
            var line = new StringBuilder(name);
            if (sample.Labels.Count > 0)
            {
                line.Append('{');
                line.AppendJoin(',', sample.Labels.Select(l => $"{l.Key}=\"{EscapeLabel(l.Value)}\""));
                line.Append('}');
            }
            line.Append(' ').Append(FormatValue(sample.Value)).Append('\n');
            output.Write(line.ToString());
        }
    }

    public static string FormatValue(double value) => value switch
    {
        double.NaN => "NaN",
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when value == Math.Floor(value) && Math.Abs(value) < 1e15 => ((long)value).ToString(CultureInfo.InvariantCulture),
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static string EscapeLabel(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeHelp(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
