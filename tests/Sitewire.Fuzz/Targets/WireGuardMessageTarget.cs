using System.Net;
using Sitewire.Crypto;
using Sitewire.Tunnel;
using Sitewire.Tunnel.Cookies;
using Sitewire.Tunnel.Io;
using Sitewire.Tunnel.Messages;
using Sitewire.Tunnel.Noise;

namespace Sitewire.Fuzz;

/// <summary>
/// One UDP datagram through the device's receive path up to decryption, as <c>Device.RunUdpReader</c> and
/// <c>Device.ProcessHandshake</c> take it: type and length, then for a handshake message mac1, mac2 (a cookie
/// reply is made when it fails) and the Noise read of an initiation (answered when it is valid) or of a response to
/// our pending initiation; a cookie reply for our pending initiation; a transport message for our keypair opened and
/// put through the replay window. Keys, indexes and clock are fixed, so the seeds (<see cref="WireGuardSeeds"/>) pass
/// the type, index and mac1 checks. Every one of these answers false for a bad message; nothing may throw.
/// </summary>
internal static class WireGuardMessageTarget
{
    public const uint KeypairIndex = 0x1001;
    public const uint PendingIndex = 0x2002;

    public static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    public static readonly Endpoint Source = Endpoint.FromIPEndPoint(IPEndPoint.Parse("192.0.2.1:51820"));

    /// <summary>The device under test.</summary>
    public static readonly LocalIdentity Local = LocalIdentity.Create(FixedKey(0x11))!;

    /// <summary>Its one peer, the sender of the datagrams.</summary>
    public static readonly LocalIdentity Remote = LocalIdentity.Create(FixedKey(0x22))!;

    private static readonly CookieChecker Checker = new(Local);
    private static readonly Keypair Receiving = CompleteHandshake(Local, Remote).Initiator;
    private static readonly Handshake Pending = CreatePending();

    public static Key FixedKey(byte fill)
    {
        Span<byte> bytes = stackalloc byte[Key.Size];
        bytes.Fill(fill);
        return new Key(bytes);
    }

    /// <summary>A whole handshake, <paramref name="initiatorIdentity"/> (index <see cref="KeypairIndex"/>) to <paramref name="responderIdentity"/>.</summary>
    public static (Keypair Initiator, Keypair Responder) CompleteHandshake(LocalIdentity initiatorIdentity, LocalIdentity responderIdentity)
    {
        var initiator = new Handshake(initiatorIdentity, responderIdentity.PublicKey, default);
        var responder = new Handshake(responderIdentity, initiatorIdentity.PublicKey, default);
        var initiation = new byte[MessageInitiation.Size];
        var response = new byte[MessageResponse.Size];
        if (!initiator.TryCreateInitiation(KeypairIndex, Now, initiation)
            || !Handshake.TryReadInitiation(responderIdentity, initiation, key => key == initiatorIdentity.PublicKey ? responder : null, Now, out _, out _)
            || !responder.TryCreateResponse(0x3003, Now, response, out var responderKeypair)
            || !initiator.TryReadResponse(response, Now, out var initiatorKeypair))
        {
            throw new InvalidOperationException("the fixed handshake failed");
        }
        return (initiatorKeypair, responderKeypair);
    }

    private static Handshake CreatePending()
    {
        var pending = new Handshake(Local, Remote.PublicKey, default);
        if (!pending.TryCreateInitiation(PendingIndex, Now, new byte[MessageInitiation.Size]))
        {
            throw new InvalidOperationException("the pending initiation failed");
        }
        return pending;
    }

    public static void Run(byte[] datagram)
    {
        switch (MessageType.Of(datagram))
        {
            case Constants.MessageTransportType:
                var message = (byte[])datagram.Clone();
                if (MessageTransportHeader.ReadReceiver(message) == Receiving.LocalIndex
                    && Receiving.TryOpen(message, out var counter, out var paddedLength))
                {
                    Receiving.ReplayWindow.TryAccept(counter);
                    WireGuardTransportTarget.Deliver(message.AsSpan(MessageTransportHeader.Size, paddedLength));
                }
                break;
            case Constants.MessageCookieReplyType:
                if (MessageCookieReply.ReadReceiver(datagram) == Pending.LocalIndex)
                {
                    Pending.Cookies.TryConsumeReply(datagram, Now);
                }
                break;
            case Constants.MessageInitiationType or Constants.MessageResponseType:
                ReadHandshake(datagram);
                break;
            default:
                break;
        }
    }

    private static void ReadHandshake(byte[] message)
    {
        if (!Checker.CheckMac1(message))
        {
            return;
        }
        if (!Checker.CheckMac2(message, Source, Now))
        {
            Span<byte> reply = stackalloc byte[MessageCookieReply.Size];
            Checker.CreateReply(message, Source, Now, reply);
        }
        if (MessageType.Of(message) == Constants.MessageInitiationType)
        {
            var atLocal = new Handshake(Local, Remote.PublicKey, default);
            if (Handshake.TryReadInitiation(Local, message, key => key == Remote.PublicKey ? atLocal : null, Now, out var peer, out _))
            {
                Span<byte> response = stackalloc byte[MessageResponse.Size];
                peer.TryCreateResponse(0x3003, Now, response, out _);
            }
        }
        else if (MessageResponse.ReadReceiver(message) == Pending.LocalIndex)
        {
            Pending.TryReadResponse(message, Now, out _);
        }
    }
}
