using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;
using Sitewire.Daemon.Metrics;
using Sitewire.Tunnel.Metrics;

namespace Sitewire.Daemon.Tests.Metrics;

public class MetricsHttpServerTests
{
    private const string Body = "# HELP up Up.\n# TYPE up gauge\nup 1\n";

    [Theory]
    [InlineData("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 200 OK\r\n")]
    [InlineData("GET /metrics?name=up HTTP/1.0\r\n\r\n", "HTTP/1.1 200 OK\r\n")]
    [InlineData("GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 404 Not Found\r\n")]
    [InlineData("GET /metricsx HTTP/1.1\r\n\r\n", "HTTP/1.1 404 Not Found\r\n")]
    [InlineData("POST /metrics HTTP/1.1\r\n\r\n", "HTTP/1.1 405 Method Not Allowed\r\n")]
    [InlineData("GET /metrics\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n")]
    [InlineData("GET /metrics HTTP/1.1\r\nHost: x", "HTTP/1.1 400 Bad Request\r\n")]
    [InlineData("", "HTTP/1.1 400 Bad Request\r\n")]
    public void Only_get_metrics_is_answered(string request, string statusLine)
    {
        var response = Encoding.UTF8.GetString(MetricsHttpServer.Respond(Encoding.ASCII.GetBytes(request), () => Body));

        Assert.StartsWith(statusLine, response, StringComparison.Ordinal);
        Assert.Contains("Connection: close\r\n", response, StringComparison.Ordinal);
        Assert.Equal(statusLine.Contains("200", StringComparison.Ordinal), response.EndsWith("\r\n\r\n" + Body, StringComparison.Ordinal));
    }

    [Fact]
    public void A_scrape_over_loopback_tcp_gets_the_text_format()
    {
        using var server = MetricsHttpServer.ListenTcp(new IPEndPoint(IPAddress.Loopback, 0), () => Body);
        server.Start();

        var response = Exchange(server.LocalEndPoint, "GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n"u8.ToArray());

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", response, StringComparison.Ordinal);
        Assert.Contains($"Content-Type: {PrometheusTextWriter.ContentType}\r\nContent-Length: {Body.Length}\r\n", response, StringComparison.Ordinal);
        Assert.EndsWith(Body, response, StringComparison.Ordinal);
    }

    [Fact]
    public void An_oversized_request_head_is_refused()
    {
        using var server = MetricsHttpServer.ListenTcp(new IPEndPoint(IPAddress.Loopback, 0), () => Body);
        server.Start();
        var request = Encoding.ASCII.GetBytes("GET /metrics HTTP/1.1\r\nX: ".PadRight(MetricsHttpServer.MaxRequestBytes, 'a'));

        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", Exchange(server.LocalEndPoint, request), StringComparison.Ordinal);
    }

    [Fact]
    public void Idle_connections_do_not_starve_a_scrape()
    {
        using var server = MetricsHttpServer.ListenTcp(new IPEndPoint(IPAddress.Loopback, 0), () => Body);
        server.Start();
        var idle = new List<Socket>();
        try
        {
            for (var i = 0; i < MetricsHttpServer.MaxConnections + 4; i++)
            {
                idle.Add(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
                idle[^1].Connect(server.LocalEndPoint);
            }

            var response = Exchange(server.LocalEndPoint, "GET /metrics HTTP/1.1\r\n\r\n"u8.ToArray());

            Assert.StartsWith("HTTP/1.1 200 OK\r\n", response, StringComparison.Ordinal);
            Assert.EndsWith(Body, response, StringComparison.Ordinal);
        }
        finally
        {
            idle.ForEach(socket => socket.Dispose());
        }
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public void The_unix_socket_is_0600_refuses_an_existing_path_and_is_removed_on_dispose()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sitewire-metrics-{Guid.NewGuid():N}.sock");
        using (var server = MetricsHttpServer.ListenUnix(path, () => Body))
        {
            server.Start();
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.EndsWith(Body, Exchange(new UnixDomainSocketEndPoint(path), "GET /metrics HTTP/1.1\r\n\r\n"u8.ToArray()), StringComparison.Ordinal);
            Assert.Throws<IOException>(() => MetricsHttpServer.ListenUnix(path, () => Body));
        }
        Assert.False(File.Exists(path));
    }

    private static string Exchange(EndPoint endPoint, byte[] request)
    {
        using var client = new Socket(endPoint.AddressFamily, SocketType.Stream, endPoint.AddressFamily == AddressFamily.Unix ? ProtocolType.Unspecified : ProtocolType.Tcp);
        client.ReceiveTimeout = 5000;
        client.Connect(endPoint);
        client.Send(request);
        var response = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = client.Receive(buffer)) > 0)
        {
            response.Write(buffer, 0, read);
        }
        return Encoding.UTF8.GetString(response.ToArray());
    }
}
