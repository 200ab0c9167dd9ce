using Sitewire.Crypto;
using Sitewire.Tunnel.Io;
using Sitewire.Tunnel.Messages;
using Sitewire.Tunnel.Noise;

namespace Sitewire.Tunnel;

/// <summary>
/// The peer's side of the handshake: sending initiations (rate-limited to one per RekeyTimeout),
/// answering initiations, consuming responses, and installing the derived keypairs in the index table.
/// </summary>
public sealed partial class Peer
{
    private readonly Lock _handshakeLock = new();
    private volatile Handshake? _handshake;
    private Session? _handshakeSession;
    private uint _handshakeIndex;
    private long _lastInitiationSent = long.MinValue;

    internal Handshake? Handshake => _handshake;

    /// <summary>The device's private key is now <paramref name="identity"/>: handshakes restart, old sessions end.</summary>
    internal void SetIdentity(LocalIdentity? identity)
    {
        lock (_handshakeLock)
        {
            if (identity is null)
            {
                _handshake?.Clear();
            }
            else if (_handshake is null)
            {
                _handshake = new Handshake(identity, PublicKey, PresharedKey, Timings);
            }
            else
            {
                _handshake.SetLocalIdentity(identity);
            }
            ForgetHandshakeSession();
        }
        RetireAllKeypairs();
    }

    internal void SetPresharedKey(Key presharedKey)
    {
        lock (_handshakeLock)
        {
            PresharedKey = presharedKey;
            _handshake?.SetPresharedKey(presharedKey);
        }
    }

    /// <summary>
    /// Sends a handshake initiation unless one went out less than RekeyTimeout ago. A retry (from the
    /// retransmit timer) keeps counting attempts; any other call starts counting afresh.
    /// </summary>
    internal void SendHandshakeInitiation(bool isRetry)
    {
        if (!isRetry)
        {
            Volatile.Write(ref _handshakeAttempts, 0);
        }
        var message = new byte[MessageInitiation.Size];
        var time = _device.Time;
        lock (_handshakeLock)
        {
            var now = time.GetTimestamp();
            var last = Interlocked.Read(ref _lastInitiationSent);
            if (last != long.MinValue && time.GetElapsedTime(last, now) < Timings.RekeyTimeout)
            {
                return;
            }
            var handshake = _handshake;
            if (handshake is null || _device.Identity is null || !IsRunning)
            {
                return;
            }
            Interlocked.Exchange(ref _lastInitiationSent, now);
            ForgetHandshakeSession();
            var session = new Session(this, null);
            var index = _device.Sessions.Add(session);
            if (!handshake.TryCreateInitiation(index, time.GetUtcNow(), message))
            {
                _device.Sessions.Remove(index, session);
                _device.Log($"peer {this}: cannot create a handshake initiation (peer key of low order?)");
                return;
            }
            _handshakeSession = session;
            _handshakeIndex = index;
        }
        _device.Log($"peer {this}: sending handshake initiation");
        TimersAnyAuthenticatedPacketTraversal();
        TimersAnyAuthenticatedPacketSent();
        SendHandshakeMessage(message);
        TimersHandshakeInitiated();
    }

    /// <summary>We read a valid initiation from this peer at <paramref name="source"/>: answer it and stage the new keypair as next.</summary>
    internal void OnInitiationConsumed(Endpoint source)
    {
        UpdateEndpoint(source);
        var message = new byte[MessageResponse.Size];
        Keypair? keypair;
        lock (_handshakeLock)
        {
            var handshake = _handshake;
            if (handshake is null)
            {
                return;
            }
            var session = new Session(this, null);
            var index = _device.Sessions.Add(session);
            if (!handshake.TryCreateResponse(index, _device.Time.GetUtcNow(), message, out keypair))
            {
                _device.Sessions.Remove(index, session);
                return;
            }
            ForgetHandshakeSession();
            _device.Sessions.Replace(index, session, new Session(this, keypair));
        }
        _device.Log($"peer {this}: received handshake initiation, sending response");
        InstallKeypair(keypair);
        TimersSessionDerived();
        TimersAnyAuthenticatedPacketTraversal();
        TimersAnyAuthenticatedPacketReceived();
        TimersAnyAuthenticatedPacketSent();
        SendHandshakeMessage(message);
    }

    /// <summary>A response to our initiation arrived from <paramref name="source"/>; true when it completed the handshake.</summary>
    internal bool TryConsumeResponse(ReadOnlySpan<byte> message, Endpoint source)
    {
        Keypair? keypair;
        lock (_handshakeLock)
        {
            var handshake = _handshake;
            var session = _handshakeSession;
            if (handshake is null || session is null
                || MessageResponse.ReadReceiver(message) != _handshakeIndex
                || !handshake.TryReadResponse(message, _device.Time.GetUtcNow(), out keypair))
            {
                return false;
            }
            _handshakeSession = null;
            if (!_device.Sessions.Replace(keypair.LocalIndex, session, new Session(this, keypair)))
            {
                keypair.Clear();
                return false;
            }
        }
        _device.Log($"peer {this}: received handshake response");
        UpdateEndpoint(source);
        TimersAnyAuthenticatedPacketTraversal();
        TimersAnyAuthenticatedPacketReceived();
        TimersSessionDerived();
        TimersHandshakeComplete();
        InstallKeypair(keypair);
        SendKeepalive();
        return true;
    }

    private void SendHandshakeMessage(byte[] message)
    {
        var endpoint = Endpoint;
        if (endpoint.IsEmpty)
        {
            _device.Log($"peer {this}: no known endpoint, handshake message not sent");
            return;
        }
        if (_device.SendDatagram(message, message.Length, endpoint, out var localRefused))
        {
            AddTxBytes(message.Length);
        }
        if (localRefused)
        {
            ForgetLocal(endpoint);
        }
    }

    private void InstallKeypair(Keypair keypair)
    {
        List<Keypair> retired = [];
        Keypairs.Install(keypair, retired);
        _device.Retire(retired);
    }

    private void RetireAllKeypairs()
    {
        List<Keypair> retired = [];
        Keypairs.RetireAll(retired);
        _device.Retire(retired);
    }

    /// <summary>Frees the index of a handshake in flight. Caller holds the handshake lock.</summary>
    private void ForgetHandshakeSession()
    {
        if (_handshakeSession is { } session)
        {
            _device.Sessions.Remove(_handshakeIndex, session);
            _handshakeSession = null;
        }
    }
}
