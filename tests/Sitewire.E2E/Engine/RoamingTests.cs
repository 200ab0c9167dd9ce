using System.Net;
using Sitewire.E2E.Infrastructure;
using Xunit.Abstractions;

namespace Sitewire.E2E.Engine;

/// <summary>
/// Endpoint roaming: mid-transfer the roamer (A, first argument) moves to a new outer address and a new listen port;
/// the transfer completes intact and the other side (B) follows the roamer's latest authenticated packet. The transfer
/// is not given a length that should outlast the roam: it goes on until B has received 3 MB, A roams, B shows the new
/// endpoint and 10 MB more have come through it (bounded in time and bytes).
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class RoamingTests(ITestOutputHelper output)
{
    private const long MaximumBytes = 1_000_000_000;
    private const long BytesBeforeRoam = 3_000_000;
    private const long BytesAfterRoam = 10_000_000;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Theory]
    [MemberData(nameof(ImplementationMatrix.PairsByOuterFamily), MemberType = typeof(ImplementationMatrix))]
    public async Task Roamer_changing_address_and_port_mid_transfer_keeps_the_transfer_and_the_other_side_learns_the_new_endpoint(
        string roamer, string other, IpFamily outer)
    {
        using var pair = TunnelPair.Create(roamer, other, outer, output);
        Assert.True(pair.Handshake(), $"no handshake\n{pair.Describe()}");
        var newAddress = IPAddress.Parse(outer == IpFamily.V4 ? "10.200.0.11" : "fd00:200::11");
        const int NewPort = 51821;

        using var stopSending = new CancellationTokenSource();
        var transfer = TcpTransfer.RunAsync(pair.A.Namespace, pair.B.Namespace, pair.B.InnerV4, MaximumBytes, Bound,
            bytesPerSecond: 6_000_000, stopSending: stopSending.Token);
        bool WhileTransferRuns(Func<bool> condition) => Poll.Until(() => transfer.IsCompleted || condition(), Bound) && !transfer.IsCompleted;
        Assert.True(WhileTransferRuns(() => pair.B.PeerStatus().ReceivedBytes >= BytesBeforeRoam), $"the transfer did not get under way\n{pair.Describe()}");
        if (outer == IpFamily.V4)
        {
            // The new address joins the old one's subnet; promotion keeps it (and its route) when the old one goes.
            pair.A.Namespace.Exec("sysctl", "-q", "-w", $"net.ipv4.conf.{pair.A.OuterLink}.promote_secondaries=1").EnsureSuccess();
            pair.A.Namespace.Exec("ip", "addr", "add", $"{newAddress}/24", "dev", pair.A.OuterLink).EnsureSuccess();
            pair.A.Namespace.Exec("ip", "addr", "del", $"{pair.A.OuterV4}/24", "dev", pair.A.OuterLink).EnsureSuccess();
        }
        else
        {
            pair.A.Namespace.Exec("ip", "-6", "addr", "add", $"{newAddress}/64", "dev", pair.A.OuterLink, "nodad").EnsureSuccess();
            pair.A.Namespace.Exec("ip", "-6", "addr", "del", $"{pair.A.OuterV6}/64", "dev", pair.A.OuterLink).EnsureSuccess();
        }
        pair.A.Daemon.Wg("set", pair.A.InterfaceName, "listen-port", NewPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var expected = new IPEndPoint(newAddress, NewPort).ToString();
        var endpointLearned = WhileTransferRuns(() => pair.B.PeerStatus().Endpoint == expected);
        var receivedAtRoam = pair.B.PeerStatus().ReceivedBytes;
        var continuedAfterRoam = endpointLearned && WhileTransferRuns(() => pair.B.PeerStatus().ReceivedBytes >= receivedAtRoam + BytesAfterRoam);
        stopSending.Cancel();
        var result = await transfer;

        output.WriteLine(result.ToString());
        Assert.Equal(result.SentSha256, result.ReceivedSha256);
        Assert.Equal(result.SentBytes, result.ReceivedBytes);
        Assert.True(endpointLearned,
            $"{other} shows endpoint {pair.B.PeerStatus().Endpoint} during the transfer, expected {expected}\n{pair.Describe()}");
        Assert.True(continuedAfterRoam, $"the transfer did not go on for {BytesAfterRoam} B after the roam\n{pair.Describe()}");
        Assert.True(pair.B.PingUntilReply(pair.A.InnerV4, TimeSpan.FromSeconds(5)), $"no reply at the roamed endpoint\n{pair.Describe()}");
    }
}
