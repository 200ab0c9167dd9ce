namespace Sitewire.Tunnel;

/// <summary>
/// The protocol's constants under their specification names (whitepaper section 5 and 6, wireguard-go
/// device/constants.go). The time limits and message limits live in <see cref="ProtocolTimings"/>, where tests
/// can shorten them; the properties here name their specification defaults.
/// </summary>
public static class Constants
{
    // ---- specification ----

    public static ulong RekeyAfterMessages => ProtocolTimings.Default.RekeyAfterMessages;

    public static ulong RejectAfterMessages => ProtocolTimings.Default.RejectAfterMessages;

    public static TimeSpan RekeyAfterTime => ProtocolTimings.Default.RekeyAfterTime;

    public static TimeSpan RejectAfterTime => ProtocolTimings.Default.RejectAfterTime;

    public static TimeSpan RekeyAttemptTime => ProtocolTimings.Default.RekeyAttemptTime;

    public static TimeSpan RekeyTimeout => ProtocolTimings.Default.RekeyTimeout;

    public static TimeSpan KeepaliveTimeout => ProtocolTimings.Default.KeepaliveTimeout;

    public static TimeSpan CookieRefreshTime => ProtocolTimings.Default.CookieRefreshTime;

    /// <summary>Initiations from one peer closer together than this are a flood and are dropped.</summary>
    public static readonly TimeSpan HandshakeInitiationRate = TimeSpan.FromSeconds(1) / 50;

    public const byte MessageInitiationType = 1;
    public const byte MessageResponseType = 2;
    public const byte MessageCookieReplyType = 3;
    public const byte MessageTransportType = 4;

    public const int MessageInitiationSize = 148;
    public const int MessageResponseSize = 92;
    public const int MessageCookieReplySize = 64;
    public const int MessageTransportHeaderSize = 16;
    public const int MessageTransportSize = MessageTransportHeaderSize + AeadTagSize;
    public const int MessageKeepaliveSize = MessageTransportSize;
    public const int MinMessageSize = MessageKeepaliveSize;

    public const int PaddingMultiple = 16;
    public const int AeadTagSize = 16;
    public const int MacSize = 16;
    public const int CookieSize = 16;
    public const int CookieNonceSize = 24;

    public static ReadOnlySpan<byte> NoiseConstruction => "Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s"u8;

    public static ReadOnlySpan<byte> WireGuardIdentifier => "WireGuard v1 zx2c4 Jason@zx2c4.com"u8;

    public static ReadOnlySpan<byte> LabelMac1 => "mac1----"u8;

    public static ReadOnlySpan<byte> LabelCookie => "cookie--"u8;

    // ---- implementation ----

    public const int MaxPeers = 1 << 16;

    /// <summary>Largest UDP payload the engine reads or writes.</summary>
    public const int MaxSegmentSize = (1 << 16) - 1;

    /// <summary>Largest inner packet: the largest segment less transport header and tag.</summary>
    public const int MaxContentSize = MaxSegmentSize - MessageTransportSize;

    /// <summary>Handshake retransmissions before giving up: RekeyAttemptTime / RekeyTimeout.</summary>
    public static int MaxTimerHandshakes => (int)(RekeyAttemptTime / RekeyTimeout);

    /// <summary>How long the device stays "under load" (answering with cookies) after the handshake queue fills.</summary>
    public static readonly TimeSpan UnderLoadAfterTime = TimeSpan.FromSeconds(1);
}
