using System.Buffers.Binary;

namespace Sitewire.Tunnel.Messages;

/// <summary>
/// Handshake initiation, 148 bytes: type, sender index (LE), unencrypted ephemeral, AEAD(static),
/// AEAD(TAI64N timestamp), mac1 over everything before it, mac2 over everything before it.
/// </summary>
public static class MessageInitiation
{
    public const int Size = Constants.MessageInitiationSize;
    public const int SenderOffset = 4;
    public const int EphemeralOffset = 8;
    public const int StaticOffset = EphemeralOffset + 32;
    public const int StaticSize = 32 + Constants.AeadTagSize;
    public const int TimestampOffset = StaticOffset + StaticSize;
    public const int TimestampSize = 12 + Constants.AeadTagSize;
    public const int Mac1Offset = TimestampOffset + TimestampSize;
    public const int Mac2Offset = Mac1Offset + Constants.MacSize;

    public static readonly Range Ephemeral = EphemeralOffset..StaticOffset;
    public static readonly Range Static = StaticOffset..TimestampOffset;
    public static readonly Range Timestamp = TimestampOffset..Mac1Offset;
    public static readonly Range Mac1 = Mac1Offset..Mac2Offset;
    public static readonly Range Mac2 = Mac2Offset..Size;

    public static uint ReadSender(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt32LittleEndian(message[SenderOffset..]);

    /// <summary>Writes type, reserved zeros and sender index.</summary>
    public static void WriteHeader(Span<byte> message, uint sender)
    {
        MessageType.Write(message, Constants.MessageInitiationType);
        BinaryPrimitives.WriteUInt32LittleEndian(message[SenderOffset..], sender);
    }
}
