using Sitewire.Tunnel.Io;
using Sitewire.Tunnel.Logging;
using Sitewire.Tunnel.Metrics;

namespace Sitewire.Tunnel;

/// <summary>
/// Every drop is counted, for the device and for the peer when one is known. With verbose logging it is also named
/// in the log with its reason and the peer and remote endpoint it concerns, and so is every cookie reply; those lines
/// are rate-limited to one per reason per second (<see cref="RateLimitedLog"/>), each saying how many like it were
/// held back, so that a flood can neither fill the disk nor slow the packet path. Only public keys appear.
/// </summary>
public sealed partial class Device
{
    private static readonly int DropReasonCount = Enum.GetValues<DropReason>().Length;

    /// <summary>The <see cref="RateLimitedLog"/> kind of cookie-reply lines; drop lines use the reason's value.</summary>
    private static readonly int CookieReplyLogKind = DropReasonCount;

    private RateLimitedLog? CreateFloodLog() =>
        _options.LogVerbose is null ? null : new RateLimitedLog(_options.TimeProvider, DropReasonCount + 1);

    /// <summary>
    /// Counts a drop for the device and logs it, naming <paramref name="peer"/> when known and <paramref name="endpoint"/>
    /// when not empty: where an inbound datagram came from, or for <see cref="DropReason.NoRoute"/> the packet's
    /// destination address. A peer counts its own drop first (<see cref="Peer.Drop"/>).
    /// </summary>
    internal void Drop(DropReason reason, Endpoint endpoint, Peer? peer = null)
    {
        Counters.Drop(reason);
        if (_floodLog is not null && _floodLog.TryAdmit((int)reason, out var heldBack))
        {
            var about = (peer is null ? "" : $", peer {peer}") + (endpoint.IsEmpty ? "" : reason == DropReason.NoRoute
                ? $", destination {endpoint.ToIPEndPoint().Address}"
                : $", endpoint {endpoint}");
            Log($"dropped: {DeviceMetrics.ReasonLabel(reason)} ({Describe(reason)}){about}{HeldBack(heldBack)}");
        }
    }

    private void LogCookieReply(Endpoint source)
    {
        if (_floodLog is not null && _floodLog.TryAdmit(CookieReplyLogKind, out var heldBack))
        {
            Log($"under load: sent a cookie reply to {source}{HeldBack(heldBack)}");
        }
    }

    private static string HeldBack(long count) => count == 0 ? "" : $" ({count} more like it since the last such line)";

    private static string Describe(DropReason reason) => reason switch
    {
        DropReason.Malformed => "malformed datagram",
        DropReason.Unauthenticated => "handshake message did not authenticate",
        DropReason.UnknownIndex => "receiver index not ours",
        DropReason.DecryptionFailed => "transport message failed to decrypt",
        DropReason.Replayed => "counter replayed or too old",
        DropReason.KeypairExpired => "keypair expired",
        DropReason.SourceNotAllowed => "inner source address outside the peer's allowed-ips",
        DropReason.InvalidInnerPacket => "decrypted packet is neither IPv4 nor IPv6",
        DropReason.NoRoute => "destination in no peer's allowed-ips",
        DropReason.NoEndpoint => "peer has no endpoint",
        DropReason.StagedOverflow => "staged packet pushed out or flushed",
        DropReason.RateLimited => "handshake rate-limited under load",
        DropReason.HandshakeQueueFull => "handshake queue full",
        DropReason.QueueFull => "peer's queue full",
        DropReason.BuffersExhausted => "limit of received messages in processing reached",
        _ => reason.ToString(),
    };
}
