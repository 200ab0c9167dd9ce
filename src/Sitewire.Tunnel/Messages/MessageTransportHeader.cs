using System.Buffers.Binary;

namespace Sitewire.Tunnel.Messages;

/// <summary>
/// Transport data header, 16 bytes: type, receiver index, 64-bit counter (all little endian); then the
/// encrypted padded packet and its tag. A keepalive is a header and a tag around nothing.
/// </summary>
public static class MessageTransportHeader
{
    public const int Size = Constants.MessageTransportHeaderSize;
    public const int ReceiverOffset = 4;
    public const int CounterOffset = 8;

    public static uint ReadReceiver(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt32LittleEndian(message[ReceiverOffset..]);

    public static ulong ReadCounter(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt64LittleEndian(message[CounterOffset..]);

    public static void Write(Span<byte> message, uint receiver, ulong counter)
    {
        MessageType.Write(message, Constants.MessageTransportType);
        BinaryPrimitives.WriteUInt32LittleEndian(message[ReceiverOffset..], receiver);
        BinaryPrimitives.WriteUInt64LittleEndian(message[CounterOffset..], counter);
    }
}
