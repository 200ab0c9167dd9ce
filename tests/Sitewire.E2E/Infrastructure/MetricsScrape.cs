using System.Globalization;
using System.Net.Sockets;
using System.Net;
using System.Text;
using Sitewire.Host.Namespaces;

namespace Sitewire.E2E.Infrastructure;

/// <summary>sitewired's Prometheus text from <c>GET /metrics</c> over TCP inside the node's namespace (SITEWIRED_METRICS).</summary>
public sealed class MetricsScrape
{
    public const int Port = 9586;

    private MetricsScrape(string text) => Text = text;

    public string Text { get; }

    /// <summary>The variable that makes sitewired listen where <see cref="Fetch"/> scrapes.</summary>
    public static IReadOnlyDictionary<string, string> Environment { get; } =
        new Dictionary<string, string> { ["SITEWIRED_METRICS"] = $"127.0.0.1:{Port}" };

    public static MetricsScrape Fetch(TunnelNode node)
    {
        using var socket = NamespaceThread.Run(node.Namespace.Name, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        socket.ReceiveTimeout = 5000;
        socket.SendTimeout = 5000;
        socket.Connect(new IPEndPoint(IPAddress.Loopback, Port));
        socket.Send("GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n"u8);
        var response = new MemoryStream();
        var buffer = new byte[16384];
        int read;
        while ((read = socket.Receive(buffer)) > 0)
        {
            response.Write(buffer, 0, read);
        }
        var text = Encoding.UTF8.GetString(response.ToArray());
        SecretWatch.Suite.Observe($"metrics of {node.InterfaceName}", text);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", text, StringComparison.Ordinal);
        Assert.Contains("Content-Type: text/plain; version=0.0.4", text, StringComparison.Ordinal);
        return new MetricsScrape(text[(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]);
    }

    /// <summary>The value of the sample named exactly <paramref name="series"/> (name and labels), 0 when absent.</summary>
    public double Value(string series)
    {
        var line = Samples().FirstOrDefault(s => s.Series == series);
        return line.Series is null ? 0 : line.Value;
    }

    /// <summary>Every sample whose series starts with <paramref name="prefix"/>.</summary>
    public IEnumerable<(string Series, double Value)> Samples(string prefix = "") =>
        Text.Split('\n')
            .Where(l => l.Length > 0 && !l.StartsWith('#') && l.StartsWith(prefix, StringComparison.Ordinal))
            .Select(l => (l[..l.LastIndexOf(' ')], double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)));
}
