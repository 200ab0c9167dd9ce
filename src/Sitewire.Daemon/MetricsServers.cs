using Sitewire.Daemon.Metrics;

namespace Sitewire.Daemon;

/// <summary>The metrics endpoints <see cref="MetricsSettings"/> asks for, stopped (socket file removed) on dispose.</summary>
internal sealed class MetricsServers : IDisposable
{
    private readonly List<MetricsHttpServer> _servers = [];

    public void Start(MetricsSettings settings, Func<string> render)
    {
        if (settings.TcpAddress is { } address)
        {
            _servers.Add(MetricsHttpServer.ListenTcp(address, render));
        }
        if (settings.SocketPath is { } path)
        {
            _servers.Add(MetricsHttpServer.ListenUnix(path, render));
        }
        foreach (var server in _servers)
        {
            server.Start();
        }
    }

    public void Dispose()
    {
        foreach (var server in _servers)
        {
            server.Dispose();
        }
    }
}
