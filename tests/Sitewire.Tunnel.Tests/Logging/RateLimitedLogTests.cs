using Microsoft.Extensions.Time.Testing;
using Sitewire.Tunnel.Logging;

namespace Sitewire.Tunnel.Tests.Logging;

public class RateLimitedLogTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Admits_one_line_per_kind_per_second_and_reports_how_many_were_held_back()
    {
        var log = new RateLimitedLog(_time, kinds: 2);

        Assert.True(log.TryAdmit(0, out var first));
        Assert.Equal(0, first);
        for (var i = 0; i < 500; i++)
        {
            Assert.False(log.TryAdmit(0, out _));
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }
        Assert.True(log.TryAdmit(1, out var otherKind));
        Assert.Equal(0, otherKind);
        _time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(log.TryAdmit(0, out _));
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(log.TryAdmit(0, out var afterASecond));
        Assert.Equal(501, afterASecond);
        Assert.False(log.TryAdmit(0, out _));
    }

    [Fact]
    public void A_quiet_kind_is_admitted_at_once_with_nothing_held_back()
    {
        var log = new RateLimitedLog(_time, kinds: 1);
        Assert.True(log.TryAdmit(0, out _));

        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.True(log.TryAdmit(0, out var heldBack));
        Assert.Equal(0, heldBack);
    }

    [Fact]
    public void Concurrent_callers_get_one_admission_per_second_and_every_call_is_accounted_for()
    {
        var log = new RateLimitedLog(_time, kinds: 1);
        long admitted = 0;
        long reported = 0;

        Parallel.For(0, 40_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            if (log.TryAdmit(0, out var heldBack))
            {
                Interlocked.Increment(ref admitted);
                Interlocked.Add(ref reported, heldBack);
            }
        });
        _time.Advance(RateLimitedLog.Interval);
        Assert.True(log.TryAdmit(0, out var last));

        Assert.Equal(1, admitted);
        Assert.Equal(39_999, reported + last);
    }
}
