namespace Sitewire.Config.Failover;

/// <summary>
/// How the agent judges a relay: one probe per <see cref="ProbeInterval"/> (an answer awaited at most that long); down
/// after <see cref="FailAfter"/> unanswered probes in a row; up again only after answering every probe for
/// <see cref="HoldDown"/> (the hold-down against flapping, docs/failover.md).
/// </summary>
public sealed record FailoverTimings(TimeSpan ProbeInterval, int FailAfter, TimeSpan HoldDown)
{
    public static FailoverTimings Default { get; } = new(TimeSpan.FromSeconds(1), 3, TimeSpan.FromSeconds(10));
}
