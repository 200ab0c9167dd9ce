using System.Net;
using CsCheck;
using Sitewire.Tunnel.Cookies;
using Sitewire.Tunnel.Io;
using Sitewire.Tunnel.Messages;
using Sitewire.Tunnel.Noise;

namespace Sitewire.Tunnel.Tests.Noise;

/// <summary>Whatever arrives from the network, the protocol core answers false and never throws.</summary>
public class GarbageInputTests
{
    private static readonly DateTimeOffset Now = HandshakePair.Start;

    /// <summary>Random bytes, and random bytes behind each valid message type and length.</summary>
    private static readonly Gen<byte[]> Datagrams = Gen.OneOf(
        Gen.Byte.Array[0, 200],
        Gen.Int[1, 4].SelectMany(type => Gen.Int[0, 4].Select(i => new[] { 148, 92, 64, 32, 100 }[i]).SelectMany(length => Gen.Byte.Array[length].Select(bytes =>
        {
            bytes[0] = (byte)type;
            bytes[1] = bytes[2] = bytes[3] = 0;
            return bytes;
        }))));

    [Fact]
    public void Random_datagrams_are_rejected_everywhere_without_exceptions()
    {
        var pair = new HandshakePair();
        var (keypairA, _) = pair.Complete(Now);
        pair.CreateInitiation(Now.AddSeconds(1));
        var checker = new CookieChecker(pair.IdentityB);
        var source = Endpoint.FromIPEndPoint(IPEndPoint.Parse("192.0.2.1:1"));

        Datagrams.Sample(datagram =>
        {
            Assert.False(Handshake.TryReadInitiation(pair.IdentityB, datagram, pair.FindAtB, Now, out _, out _));
            Assert.False(pair.AtA.TryReadResponse(datagram, Now, out _));
            Assert.False(pair.AtA.Cookies.TryConsumeReply(datagram, Now));
            Assert.False(keypairA.TryOpen((byte[])datagram.Clone(), out _, out _));
            Assert.False(checker.CheckMac1(datagram));
            Assert.False(checker.CheckMac2(datagram, source, Now));
        }, iter: 2000);
    }

    [Fact]
    public void Any_packet_length_round_trips()
    {
        var (a, b) = new HandshakePair().Complete(Now);
        Gen.Byte.Array[0, 1500].Sample(packet =>
        {
            var buffer = new byte[Keypair.MessageLength(packet.Length, 1420)];
            packet.CopyTo(buffer, MessageTransportHeader.Size);
            Assert.True(a.TryNextSendCounter(out var counter));
            var length = a.Seal(buffer, packet.Length, counter, 1420);
            Assert.True(b.TryOpen(buffer.AsSpan(0, length), out var received, out var padded));
            Assert.True(b.ReplayWindow.TryAccept(received));
            Assert.True(padded >= packet.Length);
            Assert.Equal(packet, buffer.AsSpan(MessageTransportHeader.Size, packet.Length).ToArray());
        }, iter: 500);
    }
}
