using Sitewire.Tunnel.Messages;

namespace Sitewire.Tunnel.Tests.Noise;

public class KeypairTests
{
    private static readonly DateTimeOffset Now = HandshakePair.Start;

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 16)]
    [InlineData(15, 16)]
    [InlineData(16, 16)]
    [InlineData(17, 32)]
    [InlineData(1419, 1424)]
    [InlineData(1420, 1424)]
    public void Seal_pads_to_sixteen_and_open_restores_the_packet(int packetLength, int paddedLength)
    {
        var (a, b) = new HandshakePair().Complete(Now);
        var packet = new byte[packetLength];
        Random.Shared.NextBytes(packet);
        var buffer = new byte[Keypair.MessageLength(packetLength) + 7];
        Random.Shared.NextBytes(buffer);
        packet.CopyTo(buffer, MessageTransportHeader.Size);
        Assert.True(a.TryNextSendCounter(out var counter));

        var length = a.Seal(buffer, packetLength, counter);

        Assert.Equal(MessageTransportHeader.Size + paddedLength + Constants.AeadTagSize, length);
        Assert.Equal(Constants.MessageTransportType, MessageType.Of(buffer.AsSpan(0, length)));
        Assert.Equal(counter, MessageTransportHeader.ReadCounter(buffer));
        Assert.True(b.TryOpen(buffer.AsSpan(0, length), out var received, out var opened));
        Assert.Equal(counter, received);
        Assert.Equal(paddedLength, opened);
        Assert.Equal(packet, buffer.AsSpan(MessageTransportHeader.Size, packetLength).ToArray());
        Assert.All(buffer.AsSpan(MessageTransportHeader.Size + packetLength, paddedLength - packetLength).ToArray(), x => Assert.Equal(0, x));
    }

    [Theory]
    [InlineData(1419, 1420, 1420)]
    [InlineData(1420, 1420, 1420)]
    [InlineData(1405, 1420, 1408)]
    [InlineData(1, 1420, 16)]
    [InlineData(0, 1420, 0)]
    public void Padding_never_passes_the_mtu(int packetLength, int mtu, int paddedLength)
    {
        Assert.Equal(paddedLength, Keypair.PaddedLength(packetLength, mtu));
    }

    [Fact]
    public void Keepalive_is_thirty_two_bytes_and_opens_empty()
    {
        var (a, b) = new HandshakePair().Complete(Now);
        var buffer = new byte[Constants.MessageKeepaliveSize];
        Assert.True(a.TryNextSendCounter(out var counter));

        Assert.Equal(Constants.MessageKeepaliveSize, a.Seal(buffer, 0, counter));
        Assert.True(b.TryOpen(buffer, out _, out var length));
        Assert.Equal(0, length);
    }

    [Fact]
    public void Tampered_truncated_or_misaddressed_messages_do_not_open()
    {
        var (a, b) = new HandshakePair().Complete(Now);
        var sealedMessage = Seal(a, 100, 0);
        for (var i = 0; i < sealedMessage.Length; i++)
        {
            var copy = (byte[])sealedMessage.Clone();
            copy[i] ^= 0x01;
            Assert.False(b.TryOpen(copy, out _, out _), $"byte {i} changed was accepted");
        }
        for (var length = 0; length < Constants.MessageKeepaliveSize; length++)
        {
            Assert.False(b.TryOpen(sealedMessage.AsSpan(0, length).ToArray(), out _, out _));
        }
        Assert.False(b.TryOpen(sealedMessage.AsSpan(0, sealedMessage.Length - 1).ToArray(), out _, out _));
        Assert.False(a.TryOpen((byte[])sealedMessage.Clone(), out _, out _));
        Assert.True(b.TryOpen(sealedMessage, out _, out _));
    }

    [Fact]
    public void Send_counters_count_up_and_stop_at_reject_after_messages()
    {
        var keypair = new Keypair(new byte[32], new byte[32], true, Now, 1, 2, rejectAfterMessages: 3);

        for (ulong expected = 0; expected < 3; expected++)
        {
            Assert.True(keypair.TryNextSendCounter(out var counter));
            Assert.Equal(expected, counter);
        }
        Assert.False(keypair.TryNextSendCounter(out _));
        Assert.False(keypair.TryNextSendCounter(out _));
    }

    [Fact]
    public void Counters_are_unique_across_threads()
    {
        var keypair = new Keypair(new byte[32], new byte[32], true, Now, 1, 2, Constants.RejectAfterMessages);
        var seen = new System.Collections.Concurrent.ConcurrentBag<ulong>();
        Parallel.For(0, 4, _ =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                Assert.True(keypair.TryNextSendCounter(out var counter));
                seen.Add(counter);
            }
        });
        Assert.Equal(40_000, seen.Distinct().Count());
        Assert.Equal(40_000ul, keypair.SendCounter);
    }

    [Fact]
    public void Message_with_a_counter_past_the_limit_does_not_open()
    {
        var (a, b) = new HandshakePair().Complete(Now);
        var message = Seal(a, 20, Constants.RejectAfterMessages);

        Assert.False(b.TryOpen(message, out _, out _));
    }

    [Fact]
    public void Cleared_keypair_neither_sends_nor_opens()
    {
        var (a, b) = new HandshakePair().Complete(Now);
        var message = Seal(a, 20, 0);
        b.Clear();
        a.Clear();

        Assert.False(b.TryOpen(message, out _, out _));
        Assert.False(a.TryNextSendCounter(out _));
    }

    [Fact]
    public void Transport_path_allocates_nothing()
    {
        var (a, b) = new HandshakePair().Complete(Now);
        var buffer = new byte[Keypair.MessageLength(1420)];
        RoundTrip(a, b, buffer, 500);

        // The runtime itself may allocate once in a while (tiering); a per-packet allocation shows in every attempt.
        var allocated = new List<long>();
        for (var attempt = 0; attempt < 3 && (allocated.Count == 0 || allocated[^1] != 0); attempt++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            RoundTrip(a, b, buffer, 1000);
            allocated.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, allocated[^1]);
    }

    private static void RoundTrip(Keypair a, Keypair b, byte[] buffer, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(a.TryNextSendCounter(out var counter));
            var length = a.Seal(buffer, 1420, counter);
            Assert.True(b.TryOpen(buffer.AsSpan(0, length), out var received, out _));
            Assert.True(b.ReplayWindow.TryAccept(received));
        }
    }

    private static byte[] Seal(Keypair keypair, int packetLength, ulong counter)
    {
        var buffer = new byte[Keypair.MessageLength(packetLength)];
        Random.Shared.NextBytes(buffer.AsSpan(MessageTransportHeader.Size, packetLength));
        var length = keypair.Seal(buffer, packetLength, counter);
        return buffer[..length];
    }
}
