using System.Net.Sockets;
using System.Text;
using Sitewire.E2E.Infrastructure;
using Sitewire.Host.Namespaces;
using Xunit.Abstractions;

namespace Sitewire.E2E.Engine;

/// <summary>
/// The socket files a SIGKILLed sitewired leaves behind (UAPI and SITEWIRED_METRICS_SOCKET): a restart on the same
/// interface name replaces both and serves on them; a second sitewired for an interface name another one serves
/// is refused with the socket's path and leaves the running one untouched.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class StaleSocketTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public void A_restart_after_sigkill_replaces_the_stale_uapi_and_metrics_sockets()
    {
        var prefix = NetworkNamespace.UniquePrefix();
        using var work = new TemporaryDirectory();
        using var ns = NetworkNamespace.Create(prefix + "st");
        var interfaceName = prefix + "w0";
        var metricsSocket = Path.Combine(work.Path, "metrics.sock");
        var environment = new Dictionary<string, string> { ["SITEWIRED_METRICS_SOCKET"] = metricsSocket };

        using var killed = WireGuardDaemon.Start(WireGuardImplementation.Sitewired, ns, interfaceName, environment);
        AssertServing(killed, metricsSocket);
        killed.Stop();
        Assert.False(killed.IsRunning);
        Assert.True(File.Exists(killed.SocketPath) && File.Exists(metricsSocket), "SIGKILL left no socket files to test with");
        Assert.False(Answers(killed.SocketPath), "the killed daemon's UAPI socket still answers");
        Assert.False(Answers(metricsSocket), "the killed daemon's metrics socket still answers");

        using var restarted = WireGuardDaemon.Start(WireGuardImplementation.Sitewired, ns, interfaceName, environment);
        AssertServing(restarted, metricsSocket);
        Assert.DoesNotContain("listen error", restarted.Log.Tail(""), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_daemon_for_a_served_interface_name_is_refused_and_the_first_keeps_serving()
    {
        var prefix = NetworkNamespace.UniquePrefix();
        using var first = NetworkNamespace.Create(prefix + "s1");
        using var second = NetworkNamespace.Create(prefix + "s2");
        var interfaceName = prefix + "w0";
        using var running = WireGuardDaemon.Start(WireGuardImplementation.Sitewired, first, interfaceName);

        var refused = second.Start(WireGuardImplementation.RequireExecutable(WireGuardImplementation.Sitewired), ["-f", interfaceName]);
        var reading = refused.StandardError.ReadToEndAsync();
        Assert.True(refused.WaitForExit(StartTimeout), "the second sitewired kept running");
        var error = await reading;
        output.WriteLine(error);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"{running.SocketPath} is in use: another sitewired", error, StringComparison.Ordinal);
        Assert.Contains($"interface: {interfaceName}", running.Wg("show", interfaceName), StringComparison.Ordinal);
    }

    /// <summary>Waits (bounded) until the daemon answers on both sockets, then checks `wg show` and a metrics scrape.</summary>
    private void AssertServing(WireGuardDaemon daemon, string metricsSocket)
    {
        Assert.True(Poll.Until(() => !daemon.IsRunning || Answers(metricsSocket), StartTimeout, TimeSpan.FromMilliseconds(50)) && daemon.IsRunning,
            $"sitewired does not serve metrics on {metricsSocket}\n{daemon.Describe()}");
        Assert.Contains($"interface: {daemon.InterfaceName}", daemon.Wg("show", daemon.InterfaceName), StringComparison.Ordinal);
        var scrape = Scrape(metricsSocket);
        output.WriteLine(scrape);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", scrape, StringComparison.Ordinal);
        Assert.Contains($"wireguard_peers{{interface=\"{daemon.InterfaceName}\"}} 0", scrape, StringComparison.Ordinal);
    }

    private static bool Answers(string socketPath)
    {
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            client.Connect(new UnixDomainSocketEndPoint(socketPath));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string Scrape(string socketPath)
    {
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { ReceiveTimeout = 5000, SendTimeout = 5000 };
        client.Connect(new UnixDomainSocketEndPoint(socketPath));
        client.Send("GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n"u8);
        var response = new MemoryStream();
        var buffer = new byte[16384];
        int read;
        while ((read = client.Receive(buffer)) > 0)
        {
            response.Write(buffer, 0, read);
        }
        return Encoding.UTF8.GetString(response.ToArray());
    }
}
