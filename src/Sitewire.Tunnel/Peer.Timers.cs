namespace Sitewire.Tunnel;

/// <summary>
/// The peer's five timers and the events that set them (whitepaper 6, wireguard-go timers.go):
/// retransmit handshake, send keepalive, new handshake, zero key material, persistent keepalive.
/// Times come from <see cref="DeviceOptions.TimeProvider"/> and <see cref="DeviceOptions.Timings"/>.
/// </summary>
public sealed partial class Peer
{
    private const int MaxJitterMilliseconds = 334;

    private PeerTimer _retransmitHandshake = null!;
    private PeerTimer _sendKeepalive = null!;
    private PeerTimer _newHandshake = null!;
    private PeerTimer _zeroKeyMaterial = null!;
    private PeerTimer _persistentKeepalive = null!;
    private int _handshakeAttempts;
    private volatile bool _needAnotherKeepalive;
    private volatile bool _sentLastMinuteHandshake;

    private ProtocolTimings Timings => _device.Timings;

    private bool IsRunning => _device.IsRunning && !IsRemoved;

    private static TimeSpan Jitter => TimeSpan.FromMilliseconds(Random.Shared.Next(MaxJitterMilliseconds));

    /// <summary>Handshake retransmissions before giving up: RekeyAttemptTime / RekeyTimeout.</summary>
    private int MaxTimerHandshakes => (int)(Timings.RekeyAttemptTime / Timings.RekeyTimeout);

    private void InitializeTimers()
    {
        var time = _device.Time;
        _retransmitHandshake = new PeerTimer(this, time, ExpiredRetransmitHandshake);
        _sendKeepalive = new PeerTimer(this, time, ExpiredSendKeepalive);
        _newHandshake = new PeerTimer(this, time, ExpiredNewHandshake);
        _zeroKeyMaterial = new PeerTimer(this, time, ExpiredZeroKeyMaterial);
        _persistentKeepalive = new PeerTimer(this, time, ExpiredPersistentKeepalive);
    }

    private void StopTimers()
    {
        _retransmitHandshake.Dispose();
        _sendKeepalive.Dispose();
        _newHandshake.Dispose();
        _zeroKeyMaterial.Dispose();
        _persistentKeepalive.Dispose();
    }

    private void ExpiredRetransmitHandshake()
    {
        if (Volatile.Read(ref _handshakeAttempts) > MaxTimerHandshakes)
        {
            _device.Log($"peer {this}: handshake did not complete after {MaxTimerHandshakes + 2} attempts, giving up");
            _sendKeepalive.Stop();
            FlushStaged();
            if (!_zeroKeyMaterial.IsPending)
            {
                _zeroKeyMaterial.Start(Timings.RejectAfterTime * 3);
            }
            return;
        }
        Interlocked.Increment(ref _handshakeAttempts);
        _device.Log($"peer {this}: handshake did not complete after {Timings.RekeyTimeout.TotalSeconds} seconds, retrying (try {_handshakeAttempts + 1})");
        SendHandshakeInitiation(isRetry: true);
    }

    private void ExpiredSendKeepalive()
    {
        SendKeepalive();
        if (_needAnotherKeepalive)
        {
            _needAnotherKeepalive = false;
            _sendKeepalive.Start(Timings.KeepaliveTimeout);
        }
    }

    private void ExpiredNewHandshake()
    {
        _device.Log($"peer {this}: sent data but received nothing for {(Timings.KeepaliveTimeout + Timings.RekeyTimeout).TotalSeconds} seconds, new handshake");
        SendHandshakeInitiation(isRetry: false);
    }

    private void ExpiredZeroKeyMaterial()
    {
        _device.Log($"peer {this}: no new keys for {(Timings.RejectAfterTime * 3).TotalSeconds} seconds, zeroing keys");
        ZeroAndFlushAll();
    }

    private void ExpiredPersistentKeepalive()
    {
        if (PersistentKeepaliveInterval > 0)
        {
            SendKeepalive();
        }
    }

    /// <summary>A data packet (not a keepalive) was sent.</summary>
    private void TimersDataSent()
    {
        if (!_newHandshake.IsPending)
        {
            _newHandshake.Start(Timings.KeepaliveTimeout + Timings.RekeyTimeout + Jitter);
        }
    }

    /// <summary>A data packet (not a keepalive) was received.</summary>
    private void TimersDataReceived()
    {
        if (!_sendKeepalive.IsPending)
        {
            _sendKeepalive.Start(Timings.KeepaliveTimeout);
        }
        else
        {
            _needAnotherKeepalive = true;
        }
    }

    /// <summary>Any authenticated packet (handshake, data or keepalive) was sent.</summary>
    private void TimersAnyAuthenticatedPacketSent() => _sendKeepalive.Stop();

    /// <summary>Any authenticated packet was received.</summary>
    private void TimersAnyAuthenticatedPacketReceived() => _newHandshake.Stop();

    private void TimersHandshakeInitiated() => _retransmitHandshake.Start(Timings.RekeyTimeout + Jitter);

    private void TimersHandshakeComplete()
    {
        _retransmitHandshake.Stop();
        Volatile.Write(ref _handshakeAttempts, 0);
        _sentLastMinuteHandshake = false;
        MarkHandshake(_device.Time.GetUtcNow());
        Counters.HandshakeCompleted();
        _device.Counters.HandshakeCompleted();
    }

    /// <summary>A new keypair was derived: its keys, and all keys, die after RejectAfterTime × 3 without a newer one.</summary>
    private void TimersSessionDerived() => _zeroKeyMaterial.Start(Timings.RejectAfterTime * 3);

    /// <summary>Any authenticated packet was sent or received.</summary>
    private void TimersAnyAuthenticatedPacketTraversal()
    {
        var interval = PersistentKeepaliveInterval;
        if (interval > 0)
        {
            _persistentKeepalive.Start(TimeSpan.FromSeconds(interval));
        }
    }

    /// <summary>One restartable timer; an expiry after <see cref="Stop"/> or for a stopped peer is ignored.</summary>
    private sealed class PeerTimer : IDisposable
    {
        private readonly Peer _peer;
        private readonly ITimer _timer;
        private readonly Action _expired;
        private volatile bool _pending;

        public PeerTimer(Peer peer, TimeProvider time, Action expired)
        {
            _peer = peer;
            _expired = expired;
            _timer = time.CreateTimer(static state => ((PeerTimer)state!).Fire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        public bool IsPending => _pending;

        public void Start(TimeSpan dueTime)
        {
            if (!_peer.IsRunning)
            {
                return;
            }
            _pending = true;
            _timer.Change(dueTime, Timeout.InfiniteTimeSpan);
        }

        public void Stop()
        {
            if (_pending)
            {
                _pending = false;
                _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
        }

        public void Dispose()
        {
            _pending = false;
            _timer.Dispose();
        }

        private void Fire()
        {
            if (!_pending || !_peer.IsRunning)
            {
                return;
            }
            _pending = false;
            try
            {
                _expired();
            }
            catch (Exception e)
            {
                _peer._device.LogError($"peer {_peer} timer failed: {e}");
            }
        }
    }
}
