namespace Sitewire.Tunnel.Logging;

/// <summary>
/// Admission for log lines that a flood would repeat (drops, cookie replies): at most one line per kind per
/// <see cref="Interval"/>. A line held back is only counted; the next line admitted for its kind is told how many
/// were held back since the previous one. Deciding takes a timestamp and one or two interlocked operations, and
/// allocates nothing, so the caller formats a line only once it is admitted. Thread-safe.
/// </summary>
internal sealed class RateLimitedLog
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time;
    private readonly long _intervalTicks;
    private readonly long[] _nextAdmission;
    private readonly long[] _heldBack;

    public RateLimitedLog(TimeProvider time, int kinds)
    {
        _time = time;
        _intervalTicks = (long)(Interval.TotalSeconds * time.TimestampFrequency);
        _nextAdmission = new long[kinds];
        _heldBack = new long[kinds];
        Array.Fill(_nextAdmission, long.MinValue);
    }

    /// <summary>
    /// True when a line of <paramref name="kind"/> may be written now; <paramref name="heldBack"/> is then the number
    /// of lines of that kind held back since the last one admitted. False (the line is counted) otherwise.
    /// </summary>
    public bool TryAdmit(int kind, out long heldBack)
    {
        heldBack = 0;
        var now = _time.GetTimestamp();
        var next = Volatile.Read(ref _nextAdmission[kind]);
        if ((next != long.MinValue && now < next) || Interlocked.CompareExchange(ref _nextAdmission[kind], now + _intervalTicks, next) != next)
        {
            Interlocked.Increment(ref _heldBack[kind]);
            return false;
        }
        heldBack = Interlocked.Exchange(ref _heldBack[kind], 0);
        return true;
    }
}
