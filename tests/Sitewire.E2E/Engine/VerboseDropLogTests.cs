using System.Diagnostics;
using Sitewire.E2E.Infrastructure;
using Xunit.Abstractions;

namespace Sitewire.E2E.Engine;

/// <summary>
/// sitewired with LOG_LEVEL=verbose in a namespace: malformed datagrams from an attacker's namespace are named in its
/// log with the reason and the sender's address, and a stream of them yields about one line a second, each later line
/// saying how many were held back. The stream goes on until such a later line appears (bounded in time and count),
/// rather than for a fixed count expected to span more than a second of the daemon's time.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class VerboseDropLogTests(ITestOutputHelper output)
{
    private const string MalformedLine = "dropped: malformed (malformed datagram), endpoint 10.202.0.2:";
    private const int MaximumDatagrams = 20_000;

    [Fact]
    public void Malformed_datagrams_are_logged_with_reason_and_source_at_most_about_once_a_second()
    {
        using var pair = TunnelPair.Create(WireGuardImplementation.Sitewired, WireGuardImplementation.Sitewired, IpFamily.V4, output);
        var attacker = pair.AddAttacker(pair.B, out var daemonEndpoint);
        var clock = Stopwatch.StartNew();
        int sent;
        using (var injector = new DatagramInjector(attacker, daemonEndpoint))
        {
            sent = injector.SendAll(Enumerable.Repeat<byte[]>([9, 0, 0, 0, 1, 2, 3, 4], MaximumDatagrams), TimeSpan.FromSeconds(20), perSecond: 1000,
                stopWhen: count => count % 100 == 0 && HeldBackLineLogged(pair));
        }
        Assert.True(Poll.Until(() => HeldBackLineLogged(pair), TimeSpan.FromSeconds(5)),
            $"no malformed drop line reporting held-back ones after {sent} datagrams\n{pair.Describe()}");
        var seconds = clock.Elapsed.TotalSeconds;

        var lines = MalformedLines(pair);
        output.WriteLine(string.Join('\n', lines));
        Assert.InRange(lines.Length, 2, (int)Math.Ceiling(seconds) + 1);
        Assert.True(pair.B.Daemon.IsRunning, pair.Describe());
    }

    private static bool HeldBackLineLogged(TunnelPair pair) =>
        MalformedLines(pair).Any(l => l.Contains(" more like it since the last such line)", StringComparison.Ordinal));

    private static string[] MalformedLines(TunnelPair pair) =>
        [.. pair.B.Daemon.Log.Tail("", 300).Split('\n').Where(l => l.Contains(MalformedLine, StringComparison.Ordinal))];
}
