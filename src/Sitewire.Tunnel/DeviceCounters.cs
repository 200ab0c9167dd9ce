namespace Sitewire.Tunnel;

/// <summary>Why a datagram or packet was dropped; the names are metric labels.</summary>
public enum DropReason
{
    /// <summary>Too short, wrong size for its type, reserved bits set or unknown type.</summary>
    Malformed,
    /// <summary>mac1 wrong, or the handshake did not authenticate (including replayed or flooding initiations).</summary>
    Unauthenticated,
    /// <summary>Transport message whose receiver index is not ours (or no longer ours).</summary>
    UnknownIndex,
    /// <summary>Transport message that failed AEAD decryption.</summary>
    DecryptionFailed,
    /// <summary>Counter already seen or too old for the replay window.</summary>
    Replayed,
    /// <summary>Transport message on a keypair past RejectAfterTime / RejectAfterMessages.</summary>
    KeypairExpired,
    /// <summary>Decrypted packet whose inner source address is not in the sender's allowed-ips.</summary>
    SourceNotAllowed,
    /// <summary>Decrypted packet that is neither a valid IPv4 nor IPv6 packet.</summary>
    InvalidInnerPacket,
    /// <summary>Outbound packet whose destination is in no peer's allowed-ips.</summary>
    NoRoute,
    /// <summary>Outbound packet for a peer without an endpoint.</summary>
    NoEndpoint,
    /// <summary>Staged packet pushed out by newer ones, or flushed when handshake attempts gave up.</summary>
    StagedOverflow,
    /// <summary>Handshake message refused by the per-source rate limit while under load.</summary>
    RateLimited,
    /// <summary>Handshake message dropped because the handshake queue was full.</summary>
    HandshakeQueueFull,
    /// <summary>A peer's ordered queue was full (the peer's packets arrive faster than they are processed).</summary>
    QueueFull,
    /// <summary>A transport message arrived while the device already held its limit of received ones (a flood outrunning the crypto workers).</summary>
    BuffersExhausted,
}

/// <summary>Drop counters by reason (whole device or one peer), safe to read while the device runs.</summary>
public sealed class DeviceCounters
{
    private readonly long[] _drops = new long[Enum.GetValues<DropReason>().Length];
    private long _cookieRepliesSent;
    private long _handshakesCompleted;

    public long this[DropReason reason] => Volatile.Read(ref _drops[(int)reason]);

    public long CookieRepliesSent => Volatile.Read(ref _cookieRepliesSent);

    public long HandshakesCompleted => Volatile.Read(ref _handshakesCompleted);

    public long TotalDrops => _drops.Sum();

    public IEnumerable<(DropReason Reason, long Count)> Drops() =>
        Enum.GetValues<DropReason>().Select(reason => (reason, this[reason]));

    internal void Drop(DropReason reason) => Interlocked.Increment(ref _drops[(int)reason]);

    internal void CookieReplySent() => Interlocked.Increment(ref _cookieRepliesSent);

    internal void HandshakeCompleted() => Interlocked.Increment(ref _handshakesCompleted);
}
