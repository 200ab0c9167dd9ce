using System.Net;
using Sitewire.E2E.Infrastructure;
using Xunit.Abstractions;

namespace Sitewire.E2E.Engine;

/// <summary>
/// Cryptokey routing inbound: a packet that decrypts but whose inner source is outside the sender's allowed-ips
/// (the sender's tunnel has an extra address; the receiver allows only the /32 or /128) never reaches the
/// receiver's TUN device, although the receiver's daemon did receive and authenticate it.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class SpoofedSourceTests(ITestOutputHelper output)
{
    public static TheoryData<string, string, IpFamily> Matrix
    {
        get
        {
            var rows = new TheoryData<string, string, IpFamily>();
            foreach (var row in ImplementationMatrix.UnderTest)
            {
                rows.Add((string)row[0], (string)row[1], IpFamily.V4);
                rows.Add((string)row[0], (string)row[1], IpFamily.V6);
            }
            return rows;
        }
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Receiver_drops_a_packet_whose_inner_source_is_outside_the_senders_allowed_ips(string receiver, string sender, IpFamily family)
    {
        using var pair = TunnelPair.Create(sender, receiver, IpFamily.V4, output);
        Assert.True(pair.Handshake(family), $"no handshake\n{pair.Describe()}");
        var spoofed = family == IpFamily.V4 ? IPAddress.Parse("10.201.0.99") : IPAddress.Parse("fd00:201::99");
        string[] addAddress = family == IpFamily.V4
            ? ["addr", "add", $"{spoofed}/32", "dev", pair.A.InterfaceName]
            : ["-6", "addr", "add", $"{spoofed}/128", "dev", pair.A.InterfaceName, "nodad"];
        pair.A.Namespace.Exec("ip", addAddress, null).EnsureSuccess();
        var tunnelPacketsBefore = pair.B.TunnelReceivedPackets();
        var authenticatedBytesBefore = pair.B.PeerStatus().ReceivedBytes;

        var ping = pair.A.Namespace.Exec("ping", ["-c", "5", "-i", "0.2", "-W", "1", "-I", spoofed.ToString(), pair.B.Inner(family).ToString()],
            TimeSpan.FromSeconds(15));

        Assert.False(ping.Succeeded, $"a reply came back to the spoofed source {spoofed}\n{ping.StandardOutput}");
        Assert.True(pair.B.PeerStatus().ReceivedBytes > authenticatedBytesBefore,
            $"the spoofed packets never reached the receiver's daemon (the test proves nothing)\n{pair.Describe()}");
        var tunnelPacketsAfter = pair.B.TunnelReceivedPackets();
        Assert.True(tunnelPacketsBefore == tunnelPacketsAfter,
            $"spoofed packets reached the receiver's TUN device: rx_packets went {tunnelPacketsBefore} → {tunnelPacketsAfter}\n{pair.Describe()}");
        Assert.True(pair.A.PingOnce(pair.B.Inner(family), source: pair.A.Inner(family)), $"the tunnel stopped working for the allowed source\n{pair.Describe()}");
    }
}
