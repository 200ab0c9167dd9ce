using System.Buffers.Binary;
using Sitewire.Tunnel.Tests.Device;
using Sitewire.Tunnel.Tests.Doubles;

namespace Sitewire.Tunnel.Tests.Timers;

/// <summary>RekeyAfterMessages and RejectAfterMessages, shortened so that a test reaches them.</summary>
public sealed class MessageLimitTests
{
    private static void CountInitiations(ref int counter, byte[] payload)
    {
        if (BinaryPrimitives.ReadUInt32LittleEndian(payload) == 1)
        {
            Interlocked.Increment(ref counter);
        }
    }

    [Fact]
    public void The_sender_rekeys_after_rekey_after_messages()
    {
        using var pair = new DevicePair(ProtocolTimings.Default with { RekeyAfterMessages = 40 });
        pair.Connect();
        var first = pair.PeerBOnA.Keypairs.Current;
        // Past RekeyTimeout since the first initiation, which would otherwise hold a new one back.
        pair.Advance(TimeSpan.FromSeconds(6));
        var initiations = 0;
        pair.Network.Filter = (_, _, payload) =>
        {
            CountInitiations(ref initiations, payload);
            return true;
        };
        for (var i = 0; i < 30; i++)
        {
            Assert.NotNull(pair.SendAToB(Packets.WithSequence("10.0.0.1", "10.0.0.2", i)));
        }
        Assert.Equal(0, Volatile.Read(ref initiations));
        for (var i = 0; i < 20; i++)
        {
            Assert.NotNull(pair.SendAToB(Packets.WithSequence("10.0.0.1", "10.0.0.2", i)));
        }
        Assert.True(DevicePair.Eventually(() => Volatile.Read(ref initiations) == 1));
        Assert.True(DevicePair.Eventually(() => !ReferenceEquals(first, pair.PeerBOnA.Keypairs.Current)));
        Assert.NotNull(pair.SendAToB(Packets.WithSequence("10.0.0.1", "10.0.0.2", 99)));
    }

    [Fact]
    public void No_message_goes_out_past_reject_after_messages_until_a_new_handshake()
    {
        using var pair = new DevicePair(ProtocolTimings.Default with { RekeyAfterMessages = 1000, RejectAfterMessages = 20 });
        pair.Connect();
        pair.Advance(TimeSpan.FromSeconds(6));
        var blockHandshakes = true;
        pair.Network.Filter = (_, _, payload) => !(Volatile.Read(ref blockHandshakes) && payload[0] is 1 or 2);
        var delivered = 0;
        for (var i = 0; i < 30; i++)
        {
            pair.TunA.Inject(Packets.WithSequence("10.0.0.1", "10.0.0.2", i));
        }
        pair.Settle();
        while (pair.TunB.Take(TimeSpan.Zero) is not null)
        {
            delivered++;
        }
        // Connect used one counter; counters 1..19 remain.
        Assert.Equal(19, delivered);
        Volatile.Write(ref blockHandshakes, false);
        pair.Advance(TimeSpan.FromSeconds(6));
        for (var i = 0; i < 11; i++)
        {
            Assert.NotNull(pair.TunB.Take(DevicePair.Wait));
        }
    }
}
