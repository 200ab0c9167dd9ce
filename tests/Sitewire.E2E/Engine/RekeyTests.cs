using Sitewire.E2E.Infrastructure;
using Xunit.Abstractions;

namespace Sitewire.E2E.Engine;

/// <summary>
/// Rekey under load: the test timer knobs (sitewired only; wireguard-go has none) shorten RekeyAfterTime to 3 s
/// and RejectAfterTime to 9 s, so a transfer crosses several handshakes. Nothing may be lost and wg show must see
/// the latest handshake move at least twice. Every row runs sitewired on at least one side. With wireguard-go as
/// the initiator only sitewired's short RejectAfterTime forces the first new handshake (a responder does not rekey
/// by age; it drops packets on the expired keypair and, hearing nothing back, initiates after KeepaliveTimeout +
/// RekeyTimeout, about 12 s in); from then on sitewired is the initiator and rekeys every 3 s.
/// The transfer is not given a length that should contain the rekeys: it goes on until wg show has been seen
/// reporting three distinct handshakes (bounded in time and bytes), because each intermediate value is shown for
/// only 3 s and a sampler delayed by a loaded machine misses some of them.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class RekeyTests(ITestOutputHelper output)
{
    private const double Pace = 5_500_000;
    private const long MaximumBytes = 1_000_000_000;
    private const int HandshakesToSee = 3;
    private static readonly TimeSpan RekeysWithin = TimeSpan.FromSeconds(60);

    private static readonly Dictionary<string, string> ShortTimers = new()
    {
        ["SITEWIRED_TEST_REKEY_AFTER_SECONDS"] = "3",
        ["SITEWIRED_TEST_REJECT_AFTER_SECONDS"] = "9",
        ["SITEWIRED_TEST_KEEPALIVE_SECONDS"] = "2",
        ["SITEWIRED_TEST_REKEY_TIMEOUT_SECONDS"] = "1",
    };

    public static TheoryData<string, string> Matrix => new()
    {
        { WireGuardImplementation.Sitewired, WireGuardImplementation.Sitewired },
        { WireGuardImplementation.Sitewired, WireGuardImplementation.WireGuardGo },
        { WireGuardImplementation.WireGuardGo, WireGuardImplementation.Sitewired },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Several_rekeys_during_one_transfer_lose_nothing(string initiator, string responder)
    {
        using var pair = TunnelPair.Create(initiator, responder, IpFamily.V4, output, ShortTimers);
        Assert.True(pair.Handshake(), $"no handshake\n{pair.Describe()}");
        var handshakes = new SortedSet<long> { pair.A.PeerStatus().LatestHandshake };

        using var stopSending = new CancellationTokenSource();
        var transfer = TcpTransfer.RunAsync(pair.A.Namespace, pair.B.Namespace, pair.B.InnerV4, MaximumBytes, RekeysWithin * 2,
            bytesPerSecond: Pace, stopSending: stopSending.Token);
        Poll.Until(() =>
        {
            handshakes.Add(pair.A.PeerStatus().LatestHandshake);
            return handshakes.Count >= HandshakesToSee || transfer.IsCompleted;
        }, RekeysWithin, TimeSpan.FromMilliseconds(500));
        var transferRanThroughTheRekeys = !transfer.IsCompleted;
        stopSending.Cancel();
        var result = await transfer;

        output.WriteLine($"{result}; handshakes seen by wg show: {string.Join(", ", handshakes)}");
        Assert.Equal(result.SentBytes, result.ReceivedBytes);
        Assert.Equal(result.SentSha256, result.ReceivedSha256);
        Assert.True(handshakes.Count >= HandshakesToSee,
            $"expected the first handshake and at least two rekeys within {RekeysWithin.TotalSeconds:0} s, wg show saw {handshakes.Count}\n{pair.Describe()}");
        Assert.True(transferRanThroughTheRekeys, $"the transfer ended before the rekeys were seen (after {result.SentBytes} B)\n{pair.Describe()}");
        Assert.True(pair.B.PingOnce(pair.A.InnerV4), $"the tunnel stopped after the rekeys\n{pair.Describe()}");
    }
}
