namespace Sitewire.Tunnel;

/// <summary>
/// The protocol's time and message limits (whitepaper section 6.1). Defaults are the specification's;
/// tests shorten them (the daemon reads SITEWIRED_TEST_* variables, see Sitewire.Daemon).
/// </summary>
public sealed record ProtocolTimings
{
    public static ProtocolTimings Default { get; } = new();

    public TimeSpan RekeyAfterTime { get; init; } = TimeSpan.FromSeconds(120);

    public TimeSpan RejectAfterTime { get; init; } = TimeSpan.FromSeconds(180);

    public TimeSpan RekeyAttemptTime { get; init; } = TimeSpan.FromSeconds(90);

    public TimeSpan RekeyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan KeepaliveTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan CookieRefreshTime { get; init; } = TimeSpan.FromSeconds(120);

    public ulong RekeyAfterMessages { get; init; } = 1UL << 60;

    public ulong RejectAfterMessages { get; init; } = ulong.MaxValue - (1UL << 13);
}
