using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using Sitewire.Crypto;
using Sitewire.Tunnel.Cookies;
using Sitewire.Tunnel.Io;
using Sitewire.Tunnel.Messages;
using Sitewire.Tunnel.Noise;
using Sitewire.Tunnel.Tests.Doubles;

namespace Sitewire.Tunnel.Tests.Noise;

/// <summary>
/// Our handshake and transport against the real wireguard-go, byte for byte, in both roles: the proof that the
/// wire format, KDF chain, mac1 and padding follow the whitepaper. Runs as root (network namespace, TUN).
/// </summary>
[SupportedOSPlatform("linux")]
public class WireGuardGoInteropTests
{
    private const int MaxDatagrams = 20;
    private static readonly IPAddress Us = WireGuardGoPeer.PeerTunnelAddress;
    private static readonly IPAddress Them = WireGuardGoPeer.TunnelAddress;

    [Fact]
    public void We_initiate_and_exchange_packets_with_wireguard_go()
    {
        using var wgGo = WireGuardGoPeer.Start();
        var identity = LocalIdentity.Create(Key.GeneratePrivate())!;
        wgGo.AddPeer(identity.PublicKey, endpoint: null);
        var handshake = new Handshake(identity, wgGo.PublicKey, default);
        using var outer = wgGo.OpenUdpSocket(IPAddress.Loopback);
        using var inner = wgGo.OpenUdpSocket(Them);
        var innerPort = (ushort)((IPEndPoint)inner.LocalEndPoint!).Port;

        var initiation = new byte[MessageInitiation.Size];
        Assert.True(handshake.TryCreateInitiation(0x12345678, DateTimeOffset.UtcNow, initiation));
        outer.SendTo(initiation, wgGo.ListenEndPoint);
        var response = ReceiveMessage(outer, Constants.MessageResponseType, out _);
        Assert.Equal(0x12345678u, MessageResponse.ReadReceiver(response));
        Assert.True(handshake.TryReadResponse(response, DateTimeOffset.UtcNow, out var keypair));

        SendInner(outer, wgGo.ListenEndPoint, keypair, Ipv4UdpPacket.Build(Us, Them, 4000, innerPort, "ping through the tunnel"u8));
        Assert.Equal("ping through the tunnel"u8.ToArray(), ReceivePayload(inner));
        Assert.NotEqual(0, wgGo.LatestHandshake(identity.PublicKey));

        inner.SendTo("pong back"u8.ToArray(), new IPEndPoint(Us, 4000));
        var (destination, port, payload) = ReceiveInner(outer, keypair);
        Assert.Equal((Us, (ushort)4000), (destination, port));
        Assert.Equal("pong back"u8.ToArray(), payload);
    }

    [Fact]
    public void Wireguard_go_initiates_and_we_respond()
    {
        using var wgGo = WireGuardGoPeer.Start();
        var identity = LocalIdentity.Create(Key.GeneratePrivate())!;
        var handshake = new Handshake(identity, wgGo.PublicKey, default);
        using var outer = wgGo.OpenUdpSocket(IPAddress.Loopback);
        wgGo.AddPeer(identity.PublicKey, (IPEndPoint)outer.LocalEndPoint!);
        using var inner = wgGo.OpenUdpSocket(Them);
        var innerPort = (ushort)((IPEndPoint)inner.LocalEndPoint!).Port;

        inner.SendTo("queued until the handshake"u8.ToArray(), new IPEndPoint(Us, 4001));
        var initiation = ReceiveMessage(outer, Constants.MessageInitiationType, out var from);
        Assert.True(Handshake.TryReadInitiation(identity, initiation, key => key == wgGo.PublicKey ? handshake : null, DateTimeOffset.UtcNow, out var peer, out var remoteIndex));
        Assert.Same(handshake, peer);
        var response = new byte[MessageResponse.Size];
        Assert.True(handshake.TryCreateResponse(0x0BADCAFE, DateTimeOffset.UtcNow, response, out var keypair));
        Assert.Equal(remoteIndex, keypair.RemoteIndex);
        outer.SendTo(response, from);

        var (destination, port, payload) = ReceiveInner(outer, keypair);
        Assert.Equal((Us, (ushort)4001), (destination, port));
        Assert.Equal("queued until the handshake"u8.ToArray(), payload);

        SendInner(outer, from, keypair, Ipv4UdpPacket.Build(Us, Them, 4001, innerPort, "answer"u8));
        Assert.Equal("answer"u8.ToArray(), ReceivePayload(inner));
    }

    [Fact]
    public void Under_load_wireguard_go_sends_cookies_we_consume_and_accepts_our_mac2()
    {
        using var wgGo = WireGuardGoPeer.Start();
        var identity = LocalIdentity.Create(Key.GeneratePrivate())!;
        wgGo.AddPeer(identity.PublicKey, endpoint: null);
        var handshake = new Handshake(identity, wgGo.PublicKey, default);
        using var outer = wgGo.OpenUdpSocket(IPAddress.Loopback);
        outer.ReceiveBufferSize = 1 << 22;

        var first = new byte[MessageInitiation.Size];
        Assert.True(handshake.TryCreateInitiation(1, DateTimeOffset.UtcNow, first));
        var replies = FloodAndCollect(outer, wgGo.ListenEndPoint, [first], done: seen => seen.Any(m => IsCookieReplyFor(m, 1)));
        Assert.True(handshake.Cookies.TryConsumeReply(replies.First(m => IsCookieReplyFor(m, 1)), DateTimeOffset.UtcNow));

        var second = new byte[MessageInitiation.Size];
        Assert.True(handshake.TryCreateInitiation(2, DateTimeOffset.UtcNow.AddSeconds(1), second));
        Assert.NotEqual(new byte[Constants.MacSize], second[MessageInitiation.Mac2]);
        var probe = (byte[])second.Clone();
        MessageInitiation.WriteHeader(probe, 3);
        new CookieGenerator(wgGo.PublicKey).AddMacs(probe, DateTimeOffset.UtcNow);
        replies = FloodAndCollect(outer, wgGo.ListenEndPoint, [second, probe],
            done: seen => seen.Any(m => IsCookieReplyFor(m, 3)) && seen.Any(m => IsResponseFor(m, 2)));

        Assert.Contains(replies, m => IsCookieReplyFor(m, 3));
        Assert.DoesNotContain(replies, m => IsCookieReplyFor(m, 2));
        var response = Assert.Single(replies, m => IsResponseFor(m, 2));
        Assert.True(handshake.TryReadResponse(response, DateTimeOffset.UtcNow, out _));
    }

    [Fact]
    public void Wireguard_go_takes_our_cookie_reply_and_retries_with_a_mac2_we_accept()
    {
        using var wgGo = WireGuardGoPeer.Start();
        var identity = LocalIdentity.Create(Key.GeneratePrivate())!;
        var checker = new CookieChecker(identity);
        using var outer = wgGo.OpenUdpSocket(IPAddress.Loopback);
        wgGo.AddPeer(identity.PublicKey, (IPEndPoint)outer.LocalEndPoint!);
        using var inner = wgGo.OpenUdpSocket(Them);

        inner.SendTo("wake the peer"u8.ToArray(), new IPEndPoint(Us, 4002));
        var first = ReceiveMessage(outer, Constants.MessageInitiationType, out var from);
        var source = Endpoint.FromIPEndPoint((IPEndPoint)from);
        Assert.True(checker.CheckMac1(first));
        Assert.False(checker.CheckMac2(first, source, DateTimeOffset.UtcNow));
        var reply = new byte[MessageCookieReply.Size];
        checker.CreateReply(first, source, DateTimeOffset.UtcNow, reply);
        outer.SendTo(reply, from);

        var retry = ReceiveMessageWithin(outer, Constants.MessageInitiationType, TimeSpan.FromSeconds(10));
        Assert.NotEqual(first, retry);
        Assert.True(checker.CheckMac2(retry, source, DateTimeOffset.UtcNow));
        Assert.False(checker.CheckMac2(retry, Endpoint.FromIPEndPoint(new IPEndPoint(IPAddress.Loopback, 1)), DateTimeOffset.UtcNow));
    }

    /// <summary>Waits up to <paramref name="limit"/> (the socket times out each second) for a message of <paramref name="type"/>.</summary>
    private static byte[] ReceiveMessageWithin(Socket outer, byte type, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                return ReceiveMessage(outer, type, out _);
            }
            catch (SocketException exception) when (exception.SocketErrorCode == SocketError.TimedOut)
            {
            }
        }
        throw new TimeoutException($"no message of type {type} within {limit}");
    }

    private static bool IsResponseFor(byte[] message, uint index) =>
        MessageType.Of(message) == Constants.MessageResponseType && MessageResponse.ReadReceiver(message) == index;

    private static bool IsCookieReplyFor(byte[] message, uint index) =>
        MessageType.Of(message) == Constants.MessageCookieReplyType && MessageCookieReply.ReadReceiver(message) == index;

    /// <summary>
    /// Sends copies of <paramref name="messages"/> in turn (at most 20000) from another thread to push wireguard-go's handshake
    /// queue over its under-load mark, while collecting handshake replies until <paramref name="done"/> and a quiet second, or 15 s.
    /// </summary>
    private static List<byte[]> FloodAndCollect(Socket outer, EndPoint to, byte[][] messages, Func<List<byte[]>, bool> done)
    {
        using var stop = new CancellationTokenSource();
        var flood = Task.Run(() =>
        {
            for (var i = 0; i < 20_000 && !stop.IsCancellationRequested; i++)
            {
                outer.SendTo(messages[i % messages.Length], to);
            }
        });
        var seen = new List<byte[]>();
        var buffer = new byte[2048];
        var deadline = DateTime.UtcNow.AddSeconds(15);
        try
        {
            while (DateTime.UtcNow < deadline)
            {
                EndPoint from = new IPEndPoint(IPAddress.Any, 0);
                int length;
                try
                {
                    length = outer.ReceiveFrom(buffer, ref from);
                }
                catch (SocketException exception) when (exception.SocketErrorCode == SocketError.TimedOut)
                {
                    if (done(seen))
                    {
                        break;
                    }
                    continue;
                }
                seen.Add(buffer[..length]);
                if (done(seen))
                {
                    stop.Cancel();
                }
            }
        }
        finally
        {
            stop.Cancel();
            flood.Wait();
        }
        return seen;
    }

    private static byte[] ReceivePayload(Socket inner)
    {
        var buffer = new byte[2048];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        var length = inner.ReceiveFrom(buffer, ref from);
        return buffer[..length];
    }

    private static void SendInner(Socket outer, EndPoint to, Keypair keypair, byte[] packet)
    {
        var buffer = new byte[Keypair.MessageLength(packet.Length)];
        packet.CopyTo(buffer, MessageTransportHeader.Size);
        Assert.True(keypair.TryNextSendCounter(out var counter));
        var length = keypair.Seal(buffer, packet.Length, counter);
        outer.SendTo(buffer.AsSpan(0, length), SocketFlags.None, to);
    }

    /// <summary>The next transport message carrying a packet (keepalives skipped), opened and parsed.</summary>
    private static (IPAddress Destination, ushort Port, byte[] Payload) ReceiveInner(Socket outer, Keypair keypair)
    {
        for (var i = 0; i < MaxDatagrams; i++)
        {
            var message = ReceiveMessage(outer, Constants.MessageTransportType, out _);
            Assert.True(keypair.TryOpen(message, out var counter, out var paddedLength));
            Assert.True(keypair.ReplayWindow.TryAccept(counter));
            Assert.Equal(0, paddedLength % Constants.PaddingMultiple);
            if (paddedLength > 0)
            {
                Assert.True(Ipv4UdpPacket.TryParse(message.AsSpan(MessageTransportHeader.Size, paddedLength), out var destination, out var port, out var payload));
                return (destination, port, payload);
            }
        }
        throw new TimeoutException("no transport packet from wireguard-go");
    }

    private static byte[] ReceiveMessage(Socket outer, byte type, out EndPoint from)
    {
        var buffer = new byte[2048];
        for (var i = 0; i < MaxDatagrams; i++)
        {
            from = new IPEndPoint(IPAddress.Any, 0);
            var length = outer.ReceiveFrom(buffer, ref from);
            var message = buffer[..length];
            if (MessageType.Of(message) == type)
            {
                return message;
            }
        }
        throw new TimeoutException($"no message of type {type} from wireguard-go");
    }
}
