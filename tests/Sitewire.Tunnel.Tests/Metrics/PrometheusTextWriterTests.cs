using Sitewire.Tunnel.Metrics;

namespace Sitewire.Tunnel.Tests.Metrics;

public class PrometheusTextWriterTests
{
    [Fact]
    public void Families_have_help_and_type_once_and_label_values_are_escaped()
    {
        var output = new StringWriter();
        new PrometheusTextWriter(output).WriteFamily("x_total", MetricType.Counter, "Line one\nline two", [
            new MetricSample([new("a", "q\"uote\\back\nnl")], 3),
            new MetricSample([], 0.25),
        ]);

        Assert.Equal("# HELP x_total Line one\\nline two\n# TYPE x_total counter\nx_total{a=\"q\\\"uote\\\\back\\nnl\"} 3\nx_total 0.25\n", output.ToString());
    }
}
