using System.Net;

namespace Sitewire.Daemon;

/// <summary>
/// Where sitewired serves Prometheus metrics: SITEWIRED_METRICS=&lt;address:port&gt; (TCP) and/or
/// SITEWIRED_METRICS_SOCKET=&lt;absolute path&gt; (Unix socket, 0600). Neither set: nothing listens.
/// </summary>
internal sealed record MetricsSettings(IPEndPoint? TcpAddress, string? SocketPath)
{
    public const string Tcp = "SITEWIRED_METRICS";
    public const string Socket = "SITEWIRED_METRICS_SOCKET";

    public override string ToString() => string.Join(", ",
        new[] { TcpAddress is null ? null : $"{Tcp}={TcpAddress}", SocketPath is null ? null : $"{Socket}={SocketPath}" }.OfType<string>());

    /// <summary>The settings from the environment; throws <see cref="FormatException"/> on a bad value.</summary>
    public static MetricsSettings FromEnvironment() => Parse(Environment.GetEnvironmentVariable(Tcp), Environment.GetEnvironmentVariable(Socket));

    public static MetricsSettings Parse(string? tcp, string? socketPath)
    {
        IPEndPoint? address = null;
        if (!string.IsNullOrEmpty(tcp) && (!IPEndPoint.TryParse(tcp, out address) || address.Port == 0))
        {
            throw new FormatException($"{Tcp}={tcp}: expected an address and port, e.g. 127.0.0.1:9586 or [::1]:9586");
        }
        if (!string.IsNullOrEmpty(socketPath) && (!Path.IsPathFullyQualified(socketPath) || socketPath.EndsWith('/')))
        {
            throw new FormatException($"{Socket}={socketPath}: expected an absolute path for the socket file");
        }
        return new MetricsSettings(address, string.IsNullOrEmpty(socketPath) ? null : socketPath);
    }
}
