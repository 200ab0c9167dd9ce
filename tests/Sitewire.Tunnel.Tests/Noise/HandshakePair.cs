using Sitewire.Crypto;
using Sitewire.Tunnel.Noise;

namespace Sitewire.Tunnel.Tests.Noise;

/// <summary>Two peers, A (initiator) and B (responder), each with the other's handshake object, in memory.</summary>
internal sealed class HandshakePair
{
    public const uint IndexA = 0x0A0A0A01;
    public const uint IndexB = 0x0B0B0B02;

    public static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    public HandshakePair(Key presharedKeyA = default, Key presharedKeyB = default)
    {
        IdentityA = LocalIdentity.Create(Key.GeneratePrivate())!;
        IdentityB = LocalIdentity.Create(Key.GeneratePrivate())!;
        AtA = new Handshake(IdentityA, IdentityB.PublicKey, presharedKeyA);
        AtB = new Handshake(IdentityB, IdentityA.PublicKey, presharedKeyB);
    }

    public LocalIdentity IdentityA { get; }

    public LocalIdentity IdentityB { get; }

    /// <summary>A's handshake with B.</summary>
    public Handshake AtA { get; }

    /// <summary>B's handshake with A.</summary>
    public Handshake AtB { get; }

    public Handshake? FindAtB(Key initiator) => initiator == IdentityA.PublicKey ? AtB : null;

    public byte[] CreateInitiation(DateTimeOffset now)
    {
        var message = new byte[Constants.MessageInitiationSize];
        Assert.True(AtA.TryCreateInitiation(IndexA, now, message));
        return message;
    }

    public bool ReadInitiation(byte[] message, DateTimeOffset now) =>
        Handshake.TryReadInitiation(IdentityB, message, FindAtB, now, out _, out _);

    /// <summary>The whole exchange; returns (A's keypair, B's keypair).</summary>
    public (Keypair A, Keypair B) Complete(DateTimeOffset now)
    {
        var initiation = CreateInitiation(now);
        Assert.True(Handshake.TryReadInitiation(IdentityB, initiation, FindAtB, now, out var peer, out var remoteIndex));
        Assert.Same(AtB, peer);
        Assert.Equal(IndexA, remoteIndex);
        var response = new byte[Constants.MessageResponseSize];
        Assert.True(AtB.TryCreateResponse(IndexB, now, response, out var keypairB));
        Assert.True(AtA.TryReadResponse(response, now, out var keypairA));
        return (keypairA, keypairB);
    }
}
