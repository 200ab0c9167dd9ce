using System.Buffers.Binary;

namespace Sitewire.Tunnel.Messages;

/// <summary>
/// Handshake response, 92 bytes: type, sender index, receiver index (the initiator's sender), unencrypted
/// ephemeral, AEAD(empty), mac1, mac2.
/// </summary>
public static class MessageResponse
{
    public const int Size = Constants.MessageResponseSize;
    public const int SenderOffset = 4;
    public const int ReceiverOffset = 8;
    public const int EphemeralOffset = 12;
    public const int EmptyOffset = EphemeralOffset + 32;
    public const int EmptySize = Constants.AeadTagSize;
    public const int Mac1Offset = EmptyOffset + EmptySize;
    public const int Mac2Offset = Mac1Offset + Constants.MacSize;

    public static readonly Range Ephemeral = EphemeralOffset..EmptyOffset;
    public static readonly Range Empty = EmptyOffset..Mac1Offset;
    public static readonly Range Mac1 = Mac1Offset..Mac2Offset;
    public static readonly Range Mac2 = Mac2Offset..Size;

    public static uint ReadSender(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt32LittleEndian(message[SenderOffset..]);

    public static uint ReadReceiver(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt32LittleEndian(message[ReceiverOffset..]);

    public static void WriteHeader(Span<byte> message, uint sender, uint receiver)
    {
        MessageType.Write(message, Constants.MessageResponseType);
        BinaryPrimitives.WriteUInt32LittleEndian(message[SenderOffset..], sender);
        BinaryPrimitives.WriteUInt32LittleEndian(message[ReceiverOffset..], receiver);
    }
}
