using System.Buffers.Binary;

namespace Sitewire.Tunnel.Messages;

/// <summary>
/// Cookie reply, 64 bytes: type, receiver index (the sender index of the message answered), 24-byte nonce,
/// XAEAD(cookie) with the answered message's mac1 as associated data.
/// </summary>
public static class MessageCookieReply
{
    public const int Size = Constants.MessageCookieReplySize;
    public const int ReceiverOffset = 4;
    public const int NonceOffset = 8;
    public const int CookieOffset = NonceOffset + Constants.CookieNonceSize;

    public static readonly Range Nonce = NonceOffset..CookieOffset;
    public static readonly Range Cookie = CookieOffset..Size;

    public static uint ReadReceiver(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt32LittleEndian(message[ReceiverOffset..]);

    public static void WriteHeader(Span<byte> message, uint receiver)
    {
        MessageType.Write(message, Constants.MessageCookieReplyType);
        BinaryPrimitives.WriteUInt32LittleEndian(message[ReceiverOffset..], receiver);
    }
}
