using System.Diagnostics.CodeAnalysis;
using Sitewire.Crypto;
using Sitewire.Tunnel.Cookies;
using Sitewire.Tunnel.Messages;

namespace Sitewire.Tunnel.Noise;

/// <summary>
/// Initiation (whitepaper 5.4.2): h = HASH(Hi || Sr); e; h = HASH(h || e), ck = KDF1(ck, e);
/// (ck, k) = KDF2(ck, DH(e, Sr)); static = AEAD(k, 0, Si, h); h = HASH(h || static);
/// (ck, k) = KDF2(ck, DH(Si, Sr)); timestamp = AEAD(k, 0, TAI64N, h); h = HASH(h || timestamp).
/// </summary>
public sealed partial class Handshake
{
    /// <summary>
    /// Writes a 148-byte initiation with sender index <paramref name="localIndex"/>, mac1 and (with a fresh cookie)
    /// mac2, and remembers the state for the response. False when the peer's key admits no handshake.
    /// </summary>
    public bool TryCreateInitiation(uint localIndex, DateTimeOffset now, Span<byte> message)
    {
        RequireLength(message, MessageInitiation.Size);
        Span<byte> hash = stackalloc byte[Size];
        Span<byte> chainingKey = stackalloc byte[Size];
        Span<byte> key = stackalloc byte[Size];
        Span<byte> ephemeral = stackalloc byte[Key.Size];
        Span<byte> shared = stackalloc byte[Size];
        Span<byte> plaintext = stackalloc byte[Key.Size];
        try
        {
            lock (_lock)
            {
                if (!_staticStaticValid)
                {
                    return false;
                }
                _initialHash.CopyTo(hash);
                NoiseSymmetric.InitialChainingKey.CopyTo(chainingKey);
                MessageInitiation.WriteHeader(message, localIndex);
                var ephemeralPublic = message[MessageInitiation.Ephemeral];
                GenerateEphemeral(ephemeral, ephemeralPublic);
                NoiseSymmetric.MixHash(hash, ephemeralPublic);
                NoiseSymmetric.MixKey(chainingKey, ephemeralPublic);
                if (!Curve25519.TrySharedSecret(ephemeral, _remoteStatic, shared))
                {
                    return false;
                }
                Hkdf.Derive(chainingKey, shared, chainingKey, key);
                _local.PublicKey.CopyTo(plaintext);
                var encryptedStatic = message[MessageInitiation.Static];
                ChaChaPoly.Seal(key, 0, plaintext, hash, encryptedStatic);
                NoiseSymmetric.MixHash(hash, encryptedStatic);
                Hkdf.Derive(chainingKey, _staticStatic, chainingKey, key);
                var timestamp = plaintext[..Tai64N.Size];
                Tai64N.Write(now, timestamp);
                var encryptedTimestamp = message[MessageInitiation.Timestamp];
                ChaChaPoly.Seal(key, 0, timestamp, hash, encryptedTimestamp);
                NoiseSymmetric.MixHash(hash, encryptedTimestamp);
                Cookies.AddMacs(message, now);

                hash.CopyTo(_hash);
                chainingKey.CopyTo(_chainingKey);
                ephemeral.CopyTo(_localEphemeral);
                _localIndex = localIndex;
                _state = HandshakeState.InitiationCreated;
                return true;
            }
        }
        finally
        {
            chainingKey.Clear();
            key.Clear();
            ephemeral.Clear();
            shared.Clear();
        }
    }

    /// <summary>
    /// Reads an initiation addressed to <paramref name="local"/>: checks mac1, decrypts the initiator's static key,
    /// asks <paramref name="findPeer"/> for its handshake, decrypts the timestamp and rejects it unless it is newer
    /// than any seen from that peer and the peer's last initiation is at least
    /// <see cref="Constants.HandshakeInitiationRate"/> old. On success the peer is ready for
    /// <see cref="TryCreateResponse"/>; <paramref name="remoteIndex"/> is the initiator's sender index.
    /// mac2 (cookies under load) is the caller's <see cref="CookieChecker"/>'s business.
    /// </summary>
    public static bool TryReadInitiation(LocalIdentity local, ReadOnlySpan<byte> message, Func<Key, Handshake?> findPeer, DateTimeOffset now, [NotNullWhen(true)] out Handshake? peer, out uint remoteIndex)
    {
        peer = null;
        remoteIndex = 0;
        if (MessageType.Of(message) != Constants.MessageInitiationType || !Macs.Mac1Valid(local.Mac1Key, message))
        {
            return false;
        }
        Span<byte> hash = stackalloc byte[Size];
        Span<byte> chainingKey = stackalloc byte[Size];
        Span<byte> key = stackalloc byte[Size];
        Span<byte> shared = stackalloc byte[Size];
        Span<byte> initiatorStatic = stackalloc byte[Key.Size];
        try
        {
            local.InitialHash.CopyTo(hash);
            NoiseSymmetric.InitialChainingKey.CopyTo(chainingKey);
            var ephemeral = message[MessageInitiation.Ephemeral];
            NoiseSymmetric.MixHash(hash, ephemeral);
            NoiseSymmetric.MixKey(chainingKey, ephemeral);
            if (!NoiseSymmetric.TryDh(local.PrivateKey, ephemeral, shared))
            {
                return false;
            }
            Hkdf.Derive(chainingKey, shared, chainingKey, key);
            var encryptedStatic = message[MessageInitiation.Static];
            if (!ChaChaPoly.Open(key, 0, encryptedStatic, hash, initiatorStatic))
            {
                return false;
            }
            NoiseSymmetric.MixHash(hash, encryptedStatic);
            var candidate = findPeer(new Key(initiatorStatic));
            if (candidate is null || !candidate.TryConsumeInitiation(local, message, now, hash, chainingKey))
            {
                return false;
            }
            peer = candidate;
            remoteIndex = MessageInitiation.ReadSender(message);
            return true;
        }
        finally
        {
            chainingKey.Clear();
            key.Clear();
            shared.Clear();
        }
    }

    private bool TryConsumeInitiation(LocalIdentity local, ReadOnlySpan<byte> message, DateTimeOffset now, Span<byte> hash, Span<byte> chainingKey)
    {
        Span<byte> key = stackalloc byte[Size];
        Span<byte> timestamp = stackalloc byte[Tai64N.Size];
        try
        {
            lock (_lock)
            {
                if (!_staticStaticValid || !ReferenceEquals(local, _local))
                {
                    return false;
                }
                Hkdf.Derive(chainingKey, _staticStatic, chainingKey, key);
                var encryptedTimestamp = message[MessageInitiation.Timestamp];
                if (!ChaChaPoly.Open(key, 0, encryptedTimestamp, hash, timestamp))
                {
                    return false;
                }
                NoiseSymmetric.MixHash(hash, encryptedTimestamp);
                var replayed = !Tai64N.IsAfter(timestamp, _latestTimestamp);
                var flood = now - _lastInitiationConsumed <= Constants.HandshakeInitiationRate;
                if (replayed || flood)
                {
                    return false;
                }

                hash.CopyTo(_hash);
                chainingKey.CopyTo(_chainingKey);
                message[MessageInitiation.Ephemeral].CopyTo(_remoteEphemeral);
                timestamp.CopyTo(_latestTimestamp);
                if (now > _lastInitiationConsumed)
                {
                    _lastInitiationConsumed = now;
                }
                _remoteIndex = MessageInitiation.ReadSender(message);
                _state = HandshakeState.InitiationConsumed;
                return true;
            }
        }
        finally
        {
            key.Clear();
        }
    }
}
