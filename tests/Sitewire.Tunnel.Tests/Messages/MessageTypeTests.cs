using Sitewire.Tunnel.Messages;

namespace Sitewire.Tunnel.Tests.Messages;

public class MessageTypeTests
{
    [Theory]
    [InlineData(1, 148, 1)]
    [InlineData(1, 147, 0)]
    [InlineData(1, 149, 0)]
    [InlineData(2, 92, 2)]
    [InlineData(2, 148, 0)]
    [InlineData(3, 64, 3)]
    [InlineData(3, 63, 0)]
    [InlineData(4, 32, 4)]
    [InlineData(4, 31, 0)]
    [InlineData(4, 1452, 4)]
    [InlineData(0, 148, 0)]
    [InlineData(5, 148, 0)]
    [InlineData(255, 64, 0)]
    public void Type_is_recognised_only_with_its_length(byte type, int length, byte expected)
    {
        var message = new byte[length];
        if (length > 0)
        {
            message[0] = type;
        }

        Assert.Equal(expected, MessageType.Of(message));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Nonzero_reserved_bytes_make_a_message_invalid(int reservedByte)
    {
        var message = new byte[Constants.MessageInitiationSize];
        message[0] = Constants.MessageInitiationType;
        message[reservedByte] = 1;

        Assert.Equal(MessageType.Invalid, MessageType.Of(message));
    }

    [Fact]
    public void Empty_and_short_input_is_invalid()
    {
        Assert.Equal(MessageType.Invalid, MessageType.Of([]));
        Assert.Equal(MessageType.Invalid, MessageType.Of([4, 0, 0, 0]));
    }

    [Fact]
    public void Offsets_and_sizes_follow_the_whitepaper()
    {
        Assert.Equal((4, 8, 40, 88, 116, 132, 148), (MessageInitiation.SenderOffset, MessageInitiation.EphemeralOffset, MessageInitiation.StaticOffset, MessageInitiation.TimestampOffset, MessageInitiation.Mac1Offset, MessageInitiation.Mac2Offset, MessageInitiation.Size));
        Assert.Equal((4, 8, 12, 44, 60, 76, 92), (MessageResponse.SenderOffset, MessageResponse.ReceiverOffset, MessageResponse.EphemeralOffset, MessageResponse.EmptyOffset, MessageResponse.Mac1Offset, MessageResponse.Mac2Offset, MessageResponse.Size));
        Assert.Equal((4, 8, 32, 64), (MessageCookieReply.ReceiverOffset, MessageCookieReply.NonceOffset, MessageCookieReply.CookieOffset, MessageCookieReply.Size));
        Assert.Equal((4, 8, 16), (MessageTransportHeader.ReceiverOffset, MessageTransportHeader.CounterOffset, MessageTransportHeader.Size));
    }

    [Fact]
    public void Headers_are_little_endian()
    {
        var initiation = new byte[MessageInitiation.Size];
        MessageInitiation.WriteHeader(initiation, 0x04030201);
        Assert.Equal(new byte[] { 1, 0, 0, 0, 1, 2, 3, 4 }, initiation[..8]);
        Assert.Equal(0x04030201u, MessageInitiation.ReadSender(initiation));

        var response = new byte[MessageResponse.Size];
        MessageResponse.WriteHeader(response, 0x11223344, 0xAABBCCDD);
        Assert.Equal(new byte[] { 2, 0, 0, 0, 0x44, 0x33, 0x22, 0x11, 0xDD, 0xCC, 0xBB, 0xAA }, response[..12]);
        Assert.Equal((0x11223344u, 0xAABBCCDDu), (MessageResponse.ReadSender(response), MessageResponse.ReadReceiver(response)));

        var reply = new byte[MessageCookieReply.Size];
        MessageCookieReply.WriteHeader(reply, 7);
        Assert.Equal(new byte[] { 3, 0, 0, 0, 7, 0, 0, 0 }, reply[..8]);

        var transport = new byte[Constants.MessageKeepaliveSize];
        MessageTransportHeader.Write(transport, 9, 0x0102030405060708);
        Assert.Equal(new byte[] { 4, 0, 0, 0, 9, 0, 0, 0, 8, 7, 6, 5, 4, 3, 2, 1 }, transport[..16]);
        Assert.Equal(0x0102030405060708ul, MessageTransportHeader.ReadCounter(transport));
    }
}
