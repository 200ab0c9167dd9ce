using Sitewire.Crypto;
using Sitewire.Tunnel.Cookies;
using Sitewire.Tunnel.Messages;
using Sitewire.Tunnel.Noise;

namespace Sitewire.Tunnel.Tests.Noise;

public class HandshakeTests
{
    private static readonly DateTimeOffset Now = HandshakePair.Start;

    public static TheoryData<bool> WithAndWithoutPresharedKey => new() { false, true };

    /// <summary>X25519 points of small order (libsodium's and the kernel's lists): DH with them yields zero.</summary>
    public static TheoryData<string> LowOrderPoints => new()
    {
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    };

    [Theory]
    [MemberData(nameof(WithAndWithoutPresharedKey))]
    public void Full_handshake_gives_both_sides_matching_keypairs(bool withPresharedKey)
    {
        var psk = withPresharedKey ? Key.GeneratePreshared() : default;
        var pair = new HandshakePair(psk, psk);

        var (a, b) = pair.Complete(Now);

        Assert.True(a.IsInitiator);
        Assert.False(b.IsInitiator);
        Assert.Equal(HandshakePair.IndexA, a.LocalIndex);
        Assert.Equal(HandshakePair.IndexB, a.RemoteIndex);
        Assert.Equal(HandshakePair.IndexB, b.LocalIndex);
        Assert.Equal(HandshakePair.IndexA, b.RemoteIndex);
        AssertDelivers(a, b, "from A"u8);
        AssertDelivers(b, a, "from B"u8);
        Assert.Equal(HandshakeState.Zeroed, pair.AtA.State);
        Assert.Equal(HandshakeState.Zeroed, pair.AtB.State);
    }

    [Fact]
    public void Different_preshared_keys_fail_at_the_response()
    {
        var pair = new HandshakePair(Key.GeneratePreshared(), Key.GeneratePreshared());
        var initiation = pair.CreateInitiation(Now);
        Assert.True(pair.ReadInitiation(initiation, Now));
        var response = new byte[Constants.MessageResponseSize];
        Assert.True(pair.AtB.TryCreateResponse(HandshakePair.IndexB, Now, response, out _));

        Assert.False(pair.AtA.TryReadResponse(response, Now, out var keypair));
        Assert.Null(keypair);
        Assert.Equal(HandshakeState.InitiationCreated, pair.AtA.State);
    }

    [Fact]
    public void Each_handshake_yields_fresh_keys()
    {
        var pair = new HandshakePair();
        var (first, _) = pair.Complete(Now);
        var (_, secondB) = pair.Complete(Now.AddSeconds(1));

        var buffer = new byte[64];
        var length = first.Seal(buffer, 0, 0);
        Assert.False(secondB.TryOpen(buffer.AsSpan(0, length), out _, out _));
    }

    [Fact]
    public void Initiation_from_an_unknown_peer_is_rejected()
    {
        var pair = new HandshakePair();
        var initiation = pair.CreateInitiation(Now);

        Assert.False(Handshake.TryReadInitiation(pair.IdentityB, initiation, _ => null, Now, out var peer, out _));
        Assert.Null(peer);
    }

    [Fact]
    public void Initiation_for_another_responder_is_rejected()
    {
        var pair = new HandshakePair();
        var stranger = LocalIdentity.Create(Key.GeneratePrivate())!;
        var initiation = pair.CreateInitiation(Now);

        Assert.False(Handshake.TryReadInitiation(stranger, initiation, _ => pair.AtB, Now, out _, out _));
    }

    [Fact]
    public void Replayed_initiation_is_rejected_even_after_the_flood_interval()
    {
        var pair = new HandshakePair();
        var initiation = pair.CreateInitiation(Now);
        Assert.True(pair.ReadInitiation(initiation, Now));

        Assert.False(pair.ReadInitiation(initiation, Now.AddSeconds(5)));
    }

    [Fact]
    public void Older_initiation_is_rejected_after_a_newer_one()
    {
        var pair = new HandshakePair();
        var older = pair.CreateInitiation(Now);
        var newer = pair.CreateInitiation(Now.AddSeconds(1));
        Assert.True(pair.ReadInitiation(newer, Now));

        Assert.False(pair.ReadInitiation(older, Now.AddSeconds(5)));
    }

    [Fact]
    public void Initiations_faster_than_fifty_per_second_are_a_flood()
    {
        var pair = new HandshakePair();
        Assert.True(pair.ReadInitiation(pair.CreateInitiation(Now), Now));

        Assert.False(pair.ReadInitiation(pair.CreateInitiation(Now.AddSeconds(1)), Now.AddMilliseconds(10)));
        Assert.False(pair.ReadInitiation(pair.CreateInitiation(Now.AddSeconds(2)), Now.AddMilliseconds(20)));
        Assert.True(pair.ReadInitiation(pair.CreateInitiation(Now.AddSeconds(3)), Now.AddMilliseconds(21)));
    }

    [Fact]
    public void Every_flipped_bit_before_mac2_makes_the_initiation_fail()
    {
        var pair = new HandshakePair();
        var initiation = pair.CreateInitiation(Now);
        for (var bit = 0; bit < MessageInitiation.Mac2Offset * 8; bit++)
        {
            var copy = (byte[])initiation.Clone();
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(pair.ReadInitiation(copy, Now), $"bit {bit} flipped was accepted");
        }
        Assert.Equal(HandshakeState.Zeroed, pair.AtB.State);
        Assert.True(pair.ReadInitiation(initiation, Now));
    }

    [Fact]
    public void Tampered_fields_fail_even_with_a_recomputed_mac1()
    {
        var pair = new HandshakePair();
        var initiation = pair.CreateInitiation(Now);
        var macsForB = new CookieGenerator(pair.IdentityB.PublicKey);
        foreach (var offset in new[] { MessageInitiation.EphemeralOffset, MessageInitiation.StaticOffset, MessageInitiation.TimestampOffset, MessageInitiation.Mac1Offset - 1 })
        {
            var copy = (byte[])initiation.Clone();
            copy[offset] ^= 0x40;
            macsForB.AddMacs(copy, Now);
            Assert.False(pair.ReadInitiation(copy, Now), $"byte {offset} changed was accepted");
        }
    }

    [Fact]
    public void Every_flipped_bit_before_mac2_makes_the_response_fail_and_leaves_the_initiator_waiting()
    {
        var pair = new HandshakePair();
        Assert.True(pair.ReadInitiation(pair.CreateInitiation(Now), Now));
        var response = new byte[Constants.MessageResponseSize];
        Assert.True(pair.AtB.TryCreateResponse(HandshakePair.IndexB, Now, response, out var keypairB));
        for (var bit = 0; bit < MessageResponse.Mac2Offset * 8; bit++)
        {
            var copy = (byte[])response.Clone();
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(pair.AtA.TryReadResponse(copy, Now, out _), $"bit {bit} flipped was accepted");
        }

        Assert.True(pair.AtA.TryReadResponse(response, Now, out var keypairA));
        AssertDelivers(keypairA, keypairB, "still works"u8);
    }

    [Fact]
    public void Truncated_extended_and_garbage_messages_are_rejected_without_exceptions()
    {
        var pair = new HandshakePair();
        var initiation = pair.CreateInitiation(Now);
        for (var length = 0; length < initiation.Length; length++)
        {
            Assert.False(pair.ReadInitiation(initiation[..length], Now));
        }
        Assert.False(pair.ReadInitiation([.. initiation, 0], Now));
        Assert.False(pair.AtA.TryReadResponse(initiation, Now, out _));
        for (var length = 0; length <= Constants.MessageResponseSize + 1; length++)
        {
            Assert.False(pair.AtA.TryReadResponse(new byte[length], Now, out _));
        }
        Assert.True(pair.ReadInitiation(initiation, Now));
    }

    [Fact]
    public void Response_for_another_index_or_without_initiation_is_rejected()
    {
        var pair = new HandshakePair();
        Assert.True(pair.ReadInitiation(pair.CreateInitiation(Now), Now));
        var response = new byte[Constants.MessageResponseSize];
        Assert.True(pair.AtB.TryCreateResponse(HandshakePair.IndexB, Now, response, out _));
        var fresh = new HandshakePair();

        Assert.False(fresh.AtA.TryReadResponse(response, Now, out _));
        pair.AtA.Clear();
        Assert.False(pair.AtA.TryReadResponse(response, Now, out _));
        Assert.False(pair.AtB.TryCreateResponse(HandshakePair.IndexB, Now, response, out _));
    }

    [Fact]
    public void Response_to_a_superseded_initiation_is_rejected()
    {
        var pair = new HandshakePair();
        Assert.True(pair.ReadInitiation(pair.CreateInitiation(Now), Now));
        var response = new byte[Constants.MessageResponseSize];
        Assert.True(pair.AtB.TryCreateResponse(HandshakePair.IndexB, Now, response, out _));
        pair.CreateInitiation(Now.AddSeconds(1));

        Assert.False(pair.AtA.TryReadResponse(response, Now, out _));
    }

    [Theory]
    [MemberData(nameof(LowOrderPoints))]
    public void Peer_with_a_low_order_static_key_gets_no_initiation(string hex)
    {
        var local = LocalIdentity.Create(Key.GeneratePrivate())!;
        var handshake = new Handshake(local, LowOrder(hex), default);

        Assert.False(handshake.CanHandshake);
        Assert.False(handshake.TryCreateInitiation(1, Now, new byte[Constants.MessageInitiationSize]));
    }

    [Theory]
    [MemberData(nameof(LowOrderPoints))]
    public void Initiation_with_a_low_order_ephemeral_is_rejected(string hex)
    {
        var pair = new HandshakePair();
        var initiation = pair.CreateInitiation(Now);
        LowOrder(hex).CopyTo(initiation.AsSpan(MessageInitiation.Ephemeral));
        new CookieGenerator(pair.IdentityB.PublicKey).AddMacs(initiation, Now);

        Assert.False(pair.ReadInitiation(initiation, Now));
    }

    [Theory]
    [MemberData(nameof(LowOrderPoints))]
    public void Response_with_a_low_order_ephemeral_is_rejected(string hex)
    {
        var pair = new HandshakePair();
        Assert.True(pair.ReadInitiation(pair.CreateInitiation(Now), Now));
        var response = new byte[Constants.MessageResponseSize];
        Assert.True(pair.AtB.TryCreateResponse(HandshakePair.IndexB, Now, response, out _));
        LowOrder(hex).CopyTo(response.AsSpan(MessageResponse.Ephemeral));
        new CookieGenerator(pair.IdentityA.PublicKey).AddMacs(response, Now);

        Assert.False(pair.AtA.TryReadResponse(response, Now, out _));
        Assert.Equal(HandshakeState.InitiationCreated, pair.AtA.State);
    }

    [Fact]
    public void Zero_private_key_has_no_identity()
    {
        Assert.Null(LocalIdentity.Create(default));
    }

    [Fact]
    public void New_local_identity_drops_the_handshake_in_flight()
    {
        var pair = new HandshakePair();
        pair.CreateInitiation(Now);
        pair.AtA.SetLocalIdentity(LocalIdentity.Create(Key.GeneratePrivate())!);

        Assert.Equal(HandshakeState.Zeroed, pair.AtA.State);
        Assert.Equal(0u, pair.AtA.LocalIndex);
    }

    [Fact]
    public void Initiation_layout_follows_the_whitepaper()
    {
        var pair = new HandshakePair();
        var initiation = pair.CreateInitiation(Now);

        Assert.Equal([1, 0, 0, 0], initiation[..4]);
        Assert.Equal(HandshakePair.IndexA, BitConverter.ToUInt32(initiation, 4));
        Assert.True(new CookieChecker(pair.IdentityB).CheckMac1(initiation));
        Assert.Equal(new byte[16], initiation[MessageInitiation.Mac2]);
    }

    private static Key LowOrder(string hex) => new(Convert.FromHexString(hex));

    private static void AssertDelivers(Keypair sender, Keypair receiver, ReadOnlySpan<byte> packet)
    {
        var buffer = new byte[Keypair.MessageLength(packet.Length)];
        packet.CopyTo(buffer.AsSpan(MessageTransportHeader.Size));
        Assert.True(sender.TryNextSendCounter(out var counter));
        var length = sender.Seal(buffer, packet.Length, counter);

        Assert.Equal(receiver.LocalIndex, MessageTransportHeader.ReadReceiver(buffer));
        Assert.True(receiver.TryOpen(buffer.AsSpan(0, length), out var received, out var paddedLength));
        Assert.Equal(counter, received);
        Assert.True(receiver.ReplayWindow.TryAccept(received));
        Assert.Equal(packet, buffer.AsSpan(MessageTransportHeader.Size, packet.Length));
        Assert.Equal(Keypair.PaddedLength(packet.Length), paddedLength);
    }
}
