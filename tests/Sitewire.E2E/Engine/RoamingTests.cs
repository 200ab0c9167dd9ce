using System.Net;
using Sitewire.E2E.Infrastructure;
using Xunit.Abstractions;

namespace Sitewire.E2E.Engine;

/// <summary>
/// Endpoint roaming: mid-transfer the roamer (A, first argument) moves to a new outer address and a new listen port;
/// the transfer completes intact and the other side (B) follows the roamer's latest authenticated packet.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class RoamingTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(ImplementationMatrix.PairsByOuterFamily), MemberType = typeof(ImplementationMatrix))]
    public async Task Roamer_changing_address_and_port_mid_transfer_keeps_the_transfer_and_the_other_side_learns_the_new_endpoint(
        string roamer, string other, IpFamily outer)
    {
        using var pair = TunnelPair.Create(roamer, other, outer, output);
        Assert.True(pair.Handshake(), $"no handshake\n{pair.Describe()}");
        var newAddress = IPAddress.Parse(outer == IpFamily.V4 ? "10.200.0.11" : "fd00:200::11");
        const int NewPort = 51821;

        var transfer = TcpTransfer.RunAsync(pair.A.Namespace, pair.B.Namespace, pair.B.InnerV4, 30_000_000, TimeSpan.FromSeconds(60),
            bytesPerSecond: 6_000_000);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
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
        var result = await transfer;

        output.WriteLine(result.ToString());
        Assert.Equal(result.SentSha256, result.ReceivedSha256);
        Assert.Equal(30_000_000, result.ReceivedBytes);
        var expected = new IPEndPoint(newAddress, NewPort).ToString();
        Assert.True(Poll.Until(() => pair.B.PeerStatus().Endpoint == expected, TimeSpan.FromSeconds(5)),
            $"{other} shows endpoint {pair.B.PeerStatus().Endpoint}, expected {expected}\n{pair.Describe()}");
        Assert.True(pair.B.PingUntilReply(pair.A.InnerV4, TimeSpan.FromSeconds(5)), $"no reply at the roamed endpoint\n{pair.Describe()}");
    }
}
