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
[Trait("Needs", "root")]
public class WireGuardGoInteropTests
{
    private const int MaxDatagrams = 20;
    private const uint LoadIndex = 3;
    private const uint FirstRetryIndex = 100;
    private const int LoadBurst = 2000;
    private const int MaxRetries = 30;
    private static readonly TimeSpan LoadPause = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LoadLimit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(500);
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
        outer.ReceiveTimeout = 100;
        var replies = new List<byte[]>();

        var load = new byte[MessageInitiation.Size];
        Assert.True(handshake.TryCreateInitiation(LoadIndex, DateTimeOffset.UtcNow, load));
        using var underLoad = KeepUnderLoad(outer, wgGo.ListenEndPoint, load);
        SendUntil(outer, wgGo.ListenEndPoint, () => [], replies, done: seen => seen.Any(m => IsCookieReplyFor(m, LoadIndex)));

        var first = new byte[MessageInitiation.Size];
        Assert.True(handshake.TryCreateInitiation(1, DateTimeOffset.UtcNow, first));
        SendUntil(outer, wgGo.ListenEndPoint, () => first, replies, done: seen => seen.Any(m => IsCookieReplyFor(m, 1)));
        Assert.True(handshake.Cookies.TryConsumeReply(replies.First(m => IsCookieReplyFor(m, 1)), DateTimeOffset.UtcNow));

        // Each retry is a fresh initiation, as a real initiator's: a resent copy would be a timestamp replay to wireguard-go.
        var retries = new List<uint>();
        SendUntil(outer, wgGo.ListenEndPoint, () =>
        {
            var retry = new byte[MessageInitiation.Size];
            retries.Add(FirstRetryIndex + (uint)retries.Count);
            Assert.True(handshake.TryCreateInitiation(retries[^1], DateTimeOffset.UtcNow, retry));
            Assert.NotEqual(new byte[Constants.MacSize], retry[MessageInitiation.Mac2]);
            return retry;
        }, replies, done: seen => seen.Any(m => retries.Any(index => IsCookieReplyFor(m, index)))
            || (ResponseFor(seen, retries[^1]) is { } answered && seen.Skip(answered + 1).Any(m => IsCookieReplyFor(m, LoadIndex))));

        Assert.DoesNotContain(replies, m => retries.Any(index => IsCookieReplyFor(m, index)));
        var answer = ResponseFor(replies, retries[^1])!.Value;
        Assert.Contains(replies.Skip(answer + 1), m => IsCookieReplyFor(m, LoadIndex));
        Assert.True(handshake.TryReadResponse(replies[answer], DateTimeOffset.UtcNow, out _));
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

    private static bool SameKindAndReceiver(byte[] earlier, byte[] later) =>
        MessageType.Of(earlier) == MessageType.Of(later) && ReceiverOf(earlier) == ReceiverOf(later);

    private static uint ReceiverOf(byte[] reply) =>
        MessageType.Of(reply) == Constants.MessageResponseType ? MessageResponse.ReadReceiver(reply) : MessageCookieReply.ReadReceiver(reply);

    private static int? ResponseFor(List<byte[]> replies, uint index)
    {
        var position = replies.FindIndex(m => IsResponseFor(m, index));
        return position < 0 ? null : position;
    }

    /// <summary>
    /// Sends <paramref name="load"/> (an initiation without mac2) in bursts from another thread until disposed (at most 30 s):
    /// each burst lifts wireguard-go's handshake queue over its under-load mark (QueueHandshakeSize / 8), which keeps it under
    /// load for a further second, so a burst every <see cref="LoadPause"/> holds it there without starving our own messages.
    /// </summary>
    private static IDisposable KeepUnderLoad(Socket outer, EndPoint to, byte[] load)
    {
        var stop = new CancellationTokenSource();
        var deadline = DateTime.UtcNow + LoadLimit;
        var bursts = Task.Run(() =>
        {
            while (DateTime.UtcNow < deadline && !stop.IsCancellationRequested)
            {
                for (var i = 0; i < LoadBurst; i++)
                {
                    outer.SendTo(load, to);
                }
                stop.Token.WaitHandle.WaitOne(LoadPause);
            }
        });
        return new LoadBursts(stop, bursts);
    }

    private sealed class LoadBursts(CancellationTokenSource stop, Task bursts) : IDisposable
    {
        public void Dispose()
        {
            stop.Cancel();
            bursts.Wait();
            stop.Dispose();
        }
    }

    /// <summary>
    /// Sends <paramref name="next"/>'s message (if any) and collects handshake replies into <paramref name="replies"/>, again every
    /// <see cref="RetryInterval"/> as an initiator retransmits, until <paramref name="done"/>; fails after <see cref="MaxRetries"/> rounds.
    /// A run of replies of one kind for one receiver (the load's cookie replies) is kept as its first, so the order stays and the list small.
    /// </summary>
    private static void SendUntil(Socket outer, EndPoint to, Func<byte[]> next, List<byte[]> replies, Func<List<byte[]>, bool> done)
    {
        var buffer = new byte[2048];
        for (var round = 0; round < MaxRetries; round++)
        {
            var message = next();
            if (message.Length > 0)
            {
                outer.SendTo(message, to);
            }
            var roundEnd = DateTime.UtcNow + RetryInterval;
            while (DateTime.UtcNow < roundEnd)
            {
                try
                {
                    var reply = buffer[..outer.Receive(buffer)];
                    if (MessageType.Of(reply) is Constants.MessageResponseType or Constants.MessageCookieReplyType
                        && !(replies.Count > 0 && SameKindAndReceiver(replies[^1], reply)))
                    {
                        replies.Add(reply);
                    }
                }
                catch (SocketException exception) when (exception.SocketErrorCode == SocketError.TimedOut)
                {
                }
                if (done(replies))
                {
                    return;
                }
            }
        }
        throw new TimeoutException($"wireguard-go did not answer as expected within {MaxRetries} rounds of {RetryInterval}");
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
