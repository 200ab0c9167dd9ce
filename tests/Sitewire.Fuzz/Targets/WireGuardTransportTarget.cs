using System.Net;
using Sitewire.Tunnel;
using Sitewire.Tunnel.Messages;
using Sitewire.Tunnel.Routing;

namespace Sitewire.Fuzz;

/// <summary>
/// The input as the plaintext of a transport message from our peer: sealed with the peer's keypair under the next
/// counter, opened with ours, accepted by the replay window, then read as <c>Device.DeliverBatch</c> reads an inner
/// packet (its IP length within the padding, its source address, the allowed-ips check). Fuzzes what an authenticated
/// peer can send, which no coverage-guided search of the outer datagram reaches through the AEAD.
/// </summary>
internal static class WireGuardTransportTarget
{
    private const int MaxPacket = ushort.MaxValue - Constants.MessageTransportSize;

    private static readonly (Keypair Peer, Keypair Ours) Keypairs =
        WireGuardMessageTarget.CompleteHandshake(WireGuardMessageTarget.Remote, WireGuardMessageTarget.Local);

    private static readonly object Peer = new();
    private static readonly AllowedIps<object> AllowedIps = CreateAllowedIps();

    private static AllowedIps<object> CreateAllowedIps()
    {
        var allowed = new AllowedIps<object>();
        allowed.Insert(IPNetwork.Parse("10.0.0.0/24"), Peer);
        allowed.Insert(IPNetwork.Parse("fd00::/64"), Peer);
        return allowed;
    }

    public static void Run(byte[] input)
    {
        var packet = input.AsSpan(0, Math.Min(input.Length, MaxPacket));
        var message = new byte[Keypair.MessageLength(packet.Length)];
        packet.CopyTo(message.AsSpan(MessageTransportHeader.Size));
        if (!Keypairs.Peer.TryNextSendCounter(out var sendCounter))
        {
            throw new InvalidOperationException("the send counter ran out");
        }
        var length = Keypairs.Peer.Seal(message, packet.Length, sendCounter);
        if (!Keypairs.Ours.TryOpen(message.AsSpan(0, length), out var counter, out var paddedLength)
            || !Keypairs.Ours.ReplayWindow.TryAccept(counter))
        {
            throw new InvalidOperationException("a sealed message did not open");
        }
        Deliver(message.AsSpan(MessageTransportHeader.Size, paddedLength));
    }

    /// <summary>What the sequential receiver does with an opened, padded packet before it writes it to the TUN device.</summary>
    public static void Deliver(ReadOnlySpan<byte> padded)
    {
        if (padded.IsEmpty)
        {
            return;
        }
        Span<byte> source = stackalloc byte[16];
        var length = Device.PacketLength(padded, padded.Length);
        var addressLength = length == 0 ? 0 : Device.ReadAddress(padded, source, source: true);
        if (addressLength != 0)
        {
            AllowedIps.Lookup(source[..addressLength]);
        }
    }
}
