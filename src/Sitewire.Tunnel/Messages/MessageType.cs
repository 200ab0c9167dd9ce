using System.Buffers.Binary;

namespace Sitewire.Tunnel.Messages;

/// <summary>
/// The first four bytes of every message: the type (1..4) as a little-endian 32-bit word, whose upper three
/// bytes are reserved and must be zero.
/// </summary>
public static class MessageType
{
    public const byte Invalid = 0;
    public const int Size = 4;

    /// <summary>
    /// The message's type when its length fits that type (exact for handshake and cookie messages,
    /// at least <see cref="Constants.MessageKeepaliveSize"/> for transport) and the reserved bytes are zero;
    /// otherwise <see cref="Invalid"/>.
    /// </summary>
    public static byte Of(ReadOnlySpan<byte> message)
    {
        if (message.Length < Constants.MinMessageSize)
        {
            return Invalid;
        }
        var word = BinaryPrimitives.ReadUInt32LittleEndian(message);
        var fits = word switch
        {
            Constants.MessageInitiationType => message.Length == Constants.MessageInitiationSize,
            Constants.MessageResponseType => message.Length == Constants.MessageResponseSize,
            Constants.MessageCookieReplyType => message.Length == Constants.MessageCookieReplySize,
            Constants.MessageTransportType => true,
            _ => false,
        };
        return fits ? (byte)word : Invalid;
    }

    public static void Write(Span<byte> message, byte type) => BinaryPrimitives.WriteUInt32LittleEndian(message, type);
}
