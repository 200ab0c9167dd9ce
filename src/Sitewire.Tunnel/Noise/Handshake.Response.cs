using System.Diagnostics.CodeAnalysis;
using Sitewire.Crypto;
using Sitewire.Tunnel.Cookies;
using Sitewire.Tunnel.Messages;

namespace Sitewire.Tunnel.Noise;

/// <summary>
/// Response (whitepaper 5.4.3), continuing from the initiation's h and ck: e; h = HASH(h || e), ck = KDF1(ck, e);
/// ck = KDF1(ck, DH(e, Ei)); ck = KDF1(ck, DH(e, Si)); (ck, t, k) = KDF3(ck, psk); h = HASH(h || t);
/// empty = AEAD(k, 0, "", h); h = HASH(h || empty). Then (Ti→r, Tr→i) = KDF2(ck, "").
/// </summary>
public sealed partial class Handshake
{
    /// <summary>
    /// Responder: writes a 92-byte response to the initiation last read for this peer, with sender index
    /// <paramref name="localIndex"/>, and returns the new keypair (not yet confirmed: it may send only after a
    /// first packet arrives under it).
    /// </summary>
    public bool TryCreateResponse(uint localIndex, DateTimeOffset now, Span<byte> message, [NotNullWhen(true)] out Keypair? keypair)
    {
        RequireLength(message, MessageResponse.Size);
        keypair = null;
        Span<byte> hash = stackalloc byte[Size];
        Span<byte> chainingKey = stackalloc byte[Size];
        Span<byte> key = stackalloc byte[Size];
        Span<byte> ephemeral = stackalloc byte[Key.Size];
        Span<byte> shared = stackalloc byte[Size];
        try
        {
            lock (_lock)
            {
                if (_state != HandshakeState.InitiationConsumed)
                {
                    return false;
                }
                _hash.CopyTo(hash);
                _chainingKey.CopyTo(chainingKey);
                MessageResponse.WriteHeader(message, localIndex, _remoteIndex);
                var ephemeralPublic = message[MessageResponse.Ephemeral];
                GenerateEphemeral(ephemeral, ephemeralPublic);
                NoiseSymmetric.MixHash(hash, ephemeralPublic);
                NoiseSymmetric.MixKey(chainingKey, ephemeralPublic);
                if (!Curve25519.TrySharedSecret(ephemeral, _remoteEphemeral, shared))
                {
                    return false;
                }
                NoiseSymmetric.MixKey(chainingKey, shared);
                if (!Curve25519.TrySharedSecret(ephemeral, _remoteStatic, shared))
                {
                    return false;
                }
                NoiseSymmetric.MixKey(chainingKey, shared);
                var encryptedEmpty = message[MessageResponse.Empty];
                MixPresharedKey(hash, chainingKey, key);
                ChaChaPoly.Seal(key, 0, default, hash, encryptedEmpty);
                NoiseSymmetric.MixHash(hash, encryptedEmpty);
                Cookies.AddMacs(message, now);

                keypair = DeriveKeypair(chainingKey, isInitiator: false, now, localIndex, _remoteIndex);
                EndSession();
                _localIndex = localIndex;
                return true;
            }
        }
        finally
        {
            hash.Clear();
            chainingKey.Clear();
            key.Clear();
            ephemeral.Clear();
            shared.Clear();
        }
    }

    /// <summary>
    /// Initiator: reads the response to our last initiation (its receiver index must be ours, mac1 and the empty
    /// payload's tag must verify) and returns the new keypair, confirmed by the response.
    /// </summary>
    public bool TryReadResponse(ReadOnlySpan<byte> message, DateTimeOffset now, [NotNullWhen(true)] out Keypair? keypair)
    {
        keypair = null;
        if (MessageType.Of(message) != Constants.MessageResponseType)
        {
            return false;
        }
        Span<byte> hash = stackalloc byte[Size];
        Span<byte> chainingKey = stackalloc byte[Size];
        Span<byte> key = stackalloc byte[Size];
        Span<byte> shared = stackalloc byte[Size];
        try
        {
            lock (_lock)
            {
                if (_state != HandshakeState.InitiationCreated
                    || MessageResponse.ReadReceiver(message) != _localIndex
                    || !Macs.Mac1Valid(_local.Mac1Key, message))
                {
                    return false;
                }
                _hash.CopyTo(hash);
                _chainingKey.CopyTo(chainingKey);
                var ephemeral = message[MessageResponse.Ephemeral];
                NoiseSymmetric.MixHash(hash, ephemeral);
                NoiseSymmetric.MixKey(chainingKey, ephemeral);
                if (!Curve25519.TrySharedSecret(_localEphemeral, ephemeral, shared))
                {
                    return false;
                }
                NoiseSymmetric.MixKey(chainingKey, shared);
                if (!NoiseSymmetric.TryDh(_local.PrivateKey, ephemeral, shared))
                {
                    return false;
                }
                NoiseSymmetric.MixKey(chainingKey, shared);
                var encryptedEmpty = message[MessageResponse.Empty];
                MixPresharedKey(hash, chainingKey, key);
                if (!ChaChaPoly.Open(key, 0, encryptedEmpty, hash, default))
                {
                    return false;
                }
                NoiseSymmetric.MixHash(hash, encryptedEmpty);

                keypair = DeriveKeypair(chainingKey, isInitiator: true, now, _localIndex, MessageResponse.ReadSender(message));
                EndSession();
                return true;
            }
        }
        finally
        {
            hash.Clear();
            chainingKey.Clear();
            key.Clear();
            shared.Clear();
        }
    }

    /// <summary>(ck, t, k) = KDF3(ck, psk); h = HASH(h || t).</summary>
    private void MixPresharedKey(Span<byte> hash, Span<byte> chainingKey, Span<byte> key)
    {
        Span<byte> presharedKey = stackalloc byte[Key.Size];
        Span<byte> tau = stackalloc byte[Size];
        _presharedKey.CopyTo(presharedKey);
        Hkdf.Derive(chainingKey, presharedKey, chainingKey, tau, key);
        NoiseSymmetric.MixHash(hash, tau);
        presharedKey.Clear();
        tau.Clear();
    }
}
