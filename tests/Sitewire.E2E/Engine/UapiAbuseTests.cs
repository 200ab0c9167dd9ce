using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Sitewire.E2E.Infrastructure;
using Sitewire.Tunnel.Tests.Uapi;
using Xunit.Abstractions;

namespace Sitewire.E2E.Engine;

/// <summary>
/// The UAPI socket of a running sitewired with a live tunnel, abused (README, what the UAPI socket bounds): 200 slow
/// clients that send half an operation line and stall, 16 clients that each send one 4 MiB line, and 8 clients that
/// each send 200 get requests on one connection, all at once. While they run, the real <c>wg</c> still reads and
/// changes the device and the tunnel still carries pings. Every client is answered or closed (none is left hanging),
/// RSS stays under the documented bound, and afterwards the daemon serves and tunnels as before.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class UapiAbuseTests(ITestOutputHelper output)
{
    private const long BoundKiB = 64 * 1024;
    private const int SlowClients = 200;
    private const int HugeLineClients = 16;
    private const int HugeLineBytes = 4 << 20;
    private const int GetClients = 8;
    private const int GetsPerClient = 200;
    private const string Emsgsize = "errno=-90";

    [Fact]
    public async Task Slow_clients_huge_lines_and_many_concurrent_clients_are_each_answered_or_closed_and_the_daemon_is_unharmed()
    {
        using var pair = TunnelPair.Create(WireGuardImplementation.WireGuardGo, WireGuardImplementation.Sitewired, IpFamily.V4, output);
        Assert.True(pair.Handshake(), pair.Describe());
        var socketPath = pair.B.Daemon.SocketPath;
        var idleKiB = pair.B.Daemon.ResidentKiB;
        await using var peak = new ResidentPeak(pair.B.Daemon);
        var outcomes = new ConcurrentDictionary<string, int>();
        void Count(string kind, string? errno) => outcomes.AddOrUpdate($"{kind}: {errno ?? "closed"}", 1, (_, n) => n + 1);
        int Outcome(string key) => outcomes.TryGetValue(key, out var count) ? count : 0;

        var slow = new List<UapiTestClient>();
        var huge = new List<UapiTestClient>();
        var gets = new List<UapiTestClient>();
        try
        {
            for (var i = 0; i < SlowClients; i++)
            {
                var connection = new UapiTestClient(socketPath);
                slow.Add(connection);
                connection.TrySend("ge");
            }
            huge.AddRange(Enumerable.Range(0, HugeLineClients).Select(_ => new UapiTestClient(socketPath)));
            gets.AddRange(Enumerable.Range(0, GetClients).Select(_ => new UapiTestClient(socketPath)));

            var hugeLines = huge.Select(connection => Task.Run(() =>
            {
                var chunk = Encoding.ASCII.GetBytes(new string('x', 64 << 10));
                var sent = connection.TrySend("set=1\nprivate_key=");
                for (var written = 0; sent && written < HugeLineBytes; written += chunk.Length)
                {
                    sent = connection.TrySend(chunk);
                }
                Count("4 MiB line", sent && connection.TrySend("\n\n") ? connection.ReadErrnoOrClosed() : null);
            })).ToList();
            var getRequests = gets.Select(connection => Task.Run(() =>
            {
                for (var i = 0; i < GetsPerClient; i++)
                {
                    var errno = connection.TrySend("get=1\n\n") ? connection.ReadErrnoOrClosed() : null;
                    Count("get", errno);
                    if (errno is null)
                    {
                        return;
                    }
                }
            })).ToList();

            var show = pair.B.Daemon.TryWg("show", pair.B.InterfaceName, "dump");
            var set = pair.B.Daemon.TryWg("set", pair.B.InterfaceName, "peer", pair.A.PublicKey, "persistent-keepalive", "25");
            var ping = pair.A.PingUntilReply(pair.B.InnerV4, TimeSpan.FromSeconds(10));
            await Task.WhenAll([.. hugeLines, .. getRequests]);

            foreach (var connection in slow)
            {
                Count("slow", connection.TrySend("t=1\n\n") ? connection.ReadErrnoOrClosed() : null);
            }
            await peak.DisposeAsync();
            var peakKiB = peak.KiB;
            var afterKiB = pair.B.Daemon.ResidentKiB;

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"UAPI abuse: {SlowClients} slow clients, {HugeLineClients} × {HugeLineBytes >> 20} MiB lines, {GetClients} × {GetsPerClient} gets"));
            output.WriteLine(string.Join('\n', outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"  {o.Key}: {o.Value}")));
            output.WriteLine($"during it: wg show {(show.Succeeded ? "answered" : "failed")}, wg set {(set.Succeeded ? "applied" : "failed")}, ping {(ping ? "answered" : "unanswered")}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RSS: idle {idleKiB} KiB, peak {peakKiB} KiB, after {afterKiB} KiB (bound {BoundKiB} KiB)"));

            Assert.True(show.Succeeded, $"wg show failed during the abuse: {show.StandardError}\n{pair.Describe()}");
            Assert.True(set.Succeeded, $"wg set failed during the abuse: {set.StandardError}\n{pair.Describe()}");
            Assert.True(ping, $"the tunnel carried no ping during the abuse\n{pair.Describe()}");
            Assert.Equal(SlowClients, outcomes.Where(o => o.Key.StartsWith("slow: ", StringComparison.Ordinal)).Sum(o => o.Value));
            Assert.Equal(HugeLineClients, outcomes.Where(o => o.Key.StartsWith("4 MiB line: ", StringComparison.Ordinal)).Sum(o => o.Value));
            Assert.All(outcomes.Keys.Where(k => k.StartsWith("4 MiB line: ", StringComparison.Ordinal)),
                k => Assert.Contains(k, new[] { $"4 MiB line: {Emsgsize}", "4 MiB line: closed" }));
            Assert.True(Outcome($"4 MiB line: {Emsgsize}") > 0, "no 4 MiB line was answered with EMSGSIZE");
            Assert.True(Outcome("slow: errno=0") > 0, "no slow client that stayed connected was answered once it finished");
            Assert.True(Outcome("slow: closed") >= SlowClients - 64, "fewer slow clients closed than the 64-connection cap implies");
            Assert.Equal(GetClients * GetsPerClient, Outcome("get: errno=0"));
            Assert.True(peakKiB < BoundKiB, $"RSS peaked at {peakKiB} KiB (idle {idleKiB} KiB), over the {BoundKiB} KiB bound");
        }
        finally
        {
            foreach (var connection in (List<UapiTestClient>)[.. slow, .. huge, .. gets])
            {
                connection.Dispose();
            }
        }

        Assert.True(pair.B.Daemon.IsRunning, pair.Describe());
        Assert.Contains(pair.A.PublicKey, pair.B.Daemon.Wg("show", pair.B.InterfaceName, "peers"), StringComparison.Ordinal);
        Assert.True(pair.B.PingUntilReply(pair.A.InnerV4, TimeSpan.FromSeconds(5)), $"B → A stopped working\n{pair.Describe()}");
    }
}
