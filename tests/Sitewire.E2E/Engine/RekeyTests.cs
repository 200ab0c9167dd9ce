using Sitewire.E2E.Infrastructure;
using Xunit.Abstractions;

namespace Sitewire.E2E.Engine;

/// <summary>
/// Rekey under load: the test timer knobs (sitewired only; wireguard-go has none) shorten RekeyAfterTime to 3 s
/// and RejectAfterTime to 9 s, so a 100 MB transfer paced over 18 s crosses several handshakes. Nothing may be
/// lost and wg show must see the latest handshake move at least twice. Every row runs sitewired on at least one
/// side. With wireguard-go as the initiator only sitewired's short RejectAfterTime forces the first new handshake
/// (a responder does not rekey by age; it drops packets on the expired keypair and, hearing nothing back,
/// initiates after KeepaliveTimeout + RekeyTimeout); from then on sitewired is the initiator and rekeys every 3 s.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class RekeyTests(ITestOutputHelper output)
{
    private const long TransferBytes = 100_000_000;

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
    public async Task Several_rekeys_during_a_100_MB_transfer_lose_nothing(string initiator, string responder)
    {
        using var pair = TunnelPair.Create(initiator, responder, IpFamily.V4, output, ShortTimers);
        Assert.True(pair.Handshake(), $"no handshake\n{pair.Describe()}");
        var handshakes = new SortedSet<long> { pair.A.PeerStatus().LatestHandshake };

        var transfer = TcpTransfer.RunAsync(pair.A.Namespace, pair.B.Namespace, pair.B.InnerV4, TransferBytes, TimeSpan.FromSeconds(90),
            bytesPerSecond: TransferBytes / 18.0);
        while (!transfer.IsCompleted)
        {
            handshakes.Add(pair.A.PeerStatus().LatestHandshake);
            await Task.WhenAny(transfer, Task.Delay(500));
        }
        var result = await transfer;
        handshakes.Add(pair.A.PeerStatus().LatestHandshake);

        output.WriteLine($"{result}; handshakes seen by wg show: {string.Join(", ", handshakes)}");
        Assert.Equal(TransferBytes, result.ReceivedBytes);
        Assert.Equal(result.SentSha256, result.ReceivedSha256);
        Assert.True(handshakes.Count >= 3, $"expected the first handshake and at least two rekeys, wg show saw {handshakes.Count}\n{pair.Describe()}");
        Assert.True(pair.B.PingOnce(pair.A.InnerV4), $"the tunnel stopped after the rekeys\n{pair.Describe()}");
    }
}
