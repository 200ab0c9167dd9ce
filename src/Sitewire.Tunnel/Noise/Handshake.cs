using Sitewire.Crypto;
using Sitewire.Tunnel.Cookies;

namespace Sitewire.Tunnel.Noise;

/// <summary>
/// One peer's Noise_IKpsk2 handshake (whitepaper 5.4). Flow: the initiator writes an initiation
/// (<see cref="TryCreateInitiation"/>); the responder reads it (<see cref="TryReadInitiation"/>, which finds the
/// peer by its static key and rejects replayed timestamps and floods) and answers
/// (<see cref="TryCreateResponse"/>); the initiator reads the answer (<see cref="TryReadResponse"/>). Each side then
/// holds a <see cref="Keypair"/> and this state returns to <see cref="HandshakeState.Zeroed"/>.
/// Every failure (bad MAC, tag, index, low-order key, replay, flood, wrong state) returns false, changes nothing,
/// and never throws. Thread-safe: all state changes happen under one lock per peer.
/// </summary>
public sealed partial class Handshake
{
    private const int Size = NoiseSymmetric.Size;

    private readonly Lock _lock = new();
    private readonly ProtocolTimings _timings;
    private readonly byte[] _remoteStatic = new byte[Key.Size];
    private readonly byte[] _initialHash;
    private readonly byte[] _staticStatic = new byte[Size];
    private readonly byte[] _hash = new byte[Size];
    private readonly byte[] _chainingKey = new byte[Size];
    private readonly byte[] _localEphemeral = new byte[Key.Size];
    private readonly byte[] _remoteEphemeral = new byte[Key.Size];
    private readonly byte[] _latestTimestamp = new byte[Tai64N.Size];
    private LocalIdentity _local;
    private bool _staticStaticValid;
    private Key _presharedKey;
    private DateTimeOffset _lastInitiationConsumed = DateTimeOffset.MinValue;
    private HandshakeState _state;
    private uint _localIndex;
    private uint _remoteIndex;

    public Handshake(LocalIdentity local, Key remoteStatic, Key presharedKey, ProtocolTimings? timings = null)
    {
        _timings = timings ?? ProtocolTimings.Default;
        RemoteStatic = remoteStatic;
        remoteStatic.CopyTo(_remoteStatic);
        _initialHash = NoiseSymmetric.InitialHashFor(remoteStatic);
        _presharedKey = presharedKey;
        _local = local;
        _staticStaticValid = NoiseSymmetric.TryDh(local.PrivateKey, _remoteStatic, _staticStatic);
        Cookies = new CookieGenerator(remoteStatic, _timings);
    }

    public Key RemoteStatic { get; }

    /// <summary>mac1/mac2 for the messages we send this peer, and the cookies it sends us.</summary>
    public CookieGenerator Cookies { get; }

    public HandshakeState State
    {
        get
        {
            lock (_lock)
            {
                return _state;
            }
        }
    }

    /// <summary>Our index in the handshake in flight (or in the last keypair derived); 0 after <see cref="Clear"/>.</summary>
    public uint LocalIndex
    {
        get
        {
            lock (_lock)
            {
                return _localIndex;
            }
        }
    }

    /// <summary>False when our static key and the peer's have no valid shared secret (peer key of low order): no handshake is possible.</summary>
    public bool CanHandshake
    {
        get
        {
            lock (_lock)
            {
                return _staticStaticValid;
            }
        }
    }

    public void SetPresharedKey(Key presharedKey)
    {
        lock (_lock)
        {
            _presharedKey = presharedKey;
        }
    }

    /// <summary>Our private key changed: recompute the static-static secret and drop any handshake in flight.</summary>
    public void SetLocalIdentity(LocalIdentity local)
    {
        lock (_lock)
        {
            _local = local;
            _staticStaticValid = NoiseSymmetric.TryDh(local.PrivateKey, _remoteStatic, _staticStatic);
            ClearLocked();
        }
    }

    /// <summary>Zeroes the handshake in flight (keeps the replay and flood protection state).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            ClearLocked();
        }
    }

    private void ClearLocked()
    {
        EndSession();
        Array.Clear(_remoteEphemeral);
        _localIndex = 0;
        _remoteIndex = 0;
    }

    /// <summary>After a keypair is derived: forget the secrets that derived it.</summary>
    private void EndSession()
    {
        Array.Clear(_hash);
        Array.Clear(_chainingKey);
        Array.Clear(_localEphemeral);
        _state = HandshakeState.Zeroed;
    }

    /// <summary>Transport keys from the final chaining key: (initiator's send, responder's send) = KDF2(ck, empty).</summary>
    private Keypair DeriveKeypair(ReadOnlySpan<byte> chainingKey, bool isInitiator, DateTimeOffset now, uint localIndex, uint remoteIndex)
    {
        Span<byte> initiatorSend = stackalloc byte[Size];
        Span<byte> responderSend = stackalloc byte[Size];
        try
        {
            Hkdf.Derive(chainingKey, default, initiatorSend, responderSend);
            return isInitiator
                ? new Keypair(initiatorSend, responderSend, true, now, localIndex, remoteIndex, _timings.RejectAfterMessages)
                : new Keypair(responderSend, initiatorSend, false, now, localIndex, remoteIndex, _timings.RejectAfterMessages);
        }
        finally
        {
            initiatorSend.Clear();
            responderSend.Clear();
        }
    }

    private static void GenerateEphemeral(Span<byte> privateKey, Span<byte> publicKey)
    {
        Curve25519.GeneratePrivateKey(privateKey);
        Curve25519.PublicKey(privateKey, publicKey);
    }

    private static void RequireLength(Span<byte> message, int size)
    {
        if (message.Length != size)
        {
            throw new ArgumentException($"the message buffer must be exactly {size} bytes", nameof(message));
        }
    }
}
