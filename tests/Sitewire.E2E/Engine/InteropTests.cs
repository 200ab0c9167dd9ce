using Sitewire.E2E.Infrastructure;
using Xunit.Abstractions;

namespace Sitewire.E2E.Engine;

/// <summary>
/// Interoperability: the initiator (first argument) and the responder (second) in every implementation pairing,
/// IPv4 and IPv6 outside (the veth) and inside (the tunnel).
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class InteropTests(ITestOutputHelper output)
{
    private const long TransferBytes = 100_000_000;

    public static TheoryData<string, string, IpFamily, IpFamily> PingMatrix
    {
        get
        {
            var rows = new TheoryData<string, string, IpFamily, IpFamily>();
            foreach (var pair in ImplementationMatrix.Pairs)
            {
                foreach (var outer in new[] { IpFamily.V4, IpFamily.V6 })
                {
                    foreach (var inner in new[] { IpFamily.V4, IpFamily.V6 })
                    {
                        rows.Add((string)pair[0], (string)pair[1], outer, inner);
                    }
                }
            }
            return rows;
        }
    }

    [Theory]
    [MemberData(nameof(PingMatrix))]
    public void Ping_both_ways_and_wg_show_reports_handshake_transfer_and_learned_endpoint(string initiator, string responder, IpFamily outer,
        IpFamily inner)
    {
        using var pair = TunnelPair.Create(initiator, responder, outer, output);

        Assert.True(pair.Handshake(inner), $"initiator {initiator} got no ping reply from responder {responder}\n{pair.Describe()}");
        Assert.True(pair.B.PingUntilReply(pair.A.Inner(inner), TimeSpan.FromSeconds(5)),
            $"responder {responder} got no ping reply from initiator {initiator}\n{pair.Describe()}");

        foreach (var (node, peer) in new[] { (pair.A, pair.B), (pair.B, pair.A) })
        {
            var status = node.PeerStatus();
            Assert.Equal(peer.PublicKey, status.PublicKey);
            Assert.True(status.LatestHandshake > 0, $"{node.Daemon.Implementation}: no latest handshake in wg show\n{pair.Describe()}");
            Assert.True(status.ReceivedBytes > 0 && status.TransmittedBytes > 0,
                $"{node.Daemon.Implementation}: transfer rx {status.ReceivedBytes} tx {status.TransmittedBytes}\n{pair.Describe()}");
            Assert.InRange(Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - status.LatestHandshake), 0, 60);
        }
        Assert.Equal(pair.A.Endpoint(outer), pair.B.PeerStatus().Endpoint);
    }

    [Theory]
    [MemberData(nameof(ImplementationMatrix.PairsByOuterFamily), MemberType = typeof(ImplementationMatrix))]
    public async Task Transfer_of_100_MB_over_TCP_arrives_with_matching_SHA256(string initiator, string responder, IpFamily family)
    {
        using var pair = TunnelPair.Create(initiator, responder, family, output);
        Assert.True(pair.Handshake(family), $"no handshake\n{pair.Describe()}");

        var result = await TcpTransfer.RunAsync(pair.A.Namespace, pair.B.Namespace, pair.B.Inner(family), TransferBytes, TimeSpan.FromSeconds(90));

        output.WriteLine(result.ToString());
        Assert.Equal(TransferBytes, result.ReceivedBytes);
        Assert.Equal(result.SentSha256, result.ReceivedSha256);
        var received = pair.B.PeerStatus().ReceivedBytes;
        Assert.True(received >= TransferBytes, $"responder counted only {received} B received\n{pair.Describe()}");
        Assert.True(pair.A.Daemon.IsRunning && pair.B.Daemon.IsRunning, pair.Describe());
    }

    [Theory]
    [MemberData(nameof(ImplementationMatrix.Pairs), MemberType = typeof(ImplementationMatrix))]
    public async Task Transfer_from_responder_to_initiator_over_IPv6_in_IPv4(string initiator, string responder)
    {
        using var pair = TunnelPair.Create(initiator, responder, IpFamily.V4, output);
        Assert.True(pair.Handshake(IpFamily.V6), $"no handshake\n{pair.Describe()}");

        var result = await TcpTransfer.RunAsync(pair.B.Namespace, pair.A.Namespace, pair.A.InnerV6, 20_000_000, TimeSpan.FromSeconds(60));

        output.WriteLine(result.ToString());
        Assert.Equal(20_000_000, result.ReceivedBytes);
        Assert.Equal(result.SentSha256, result.ReceivedSha256);
    }
}
