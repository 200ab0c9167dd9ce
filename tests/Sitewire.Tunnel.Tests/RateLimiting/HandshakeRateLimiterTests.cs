using System.Net;
using Microsoft.Extensions.Time.Testing;
using Sitewire.Tunnel.Io;
using Sitewire.Tunnel.RateLimiting;

namespace Sitewire.Tunnel.Tests.RateLimiting;

public class HandshakeRateLimiterTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Allows_a_burst_of_five_then_twenty_per_second()
    {
        var limiter = new HandshakeRateLimiter(_time);
        var source = At("192.0.2.1:1000");

        Assert.Equal(5, CountAllowed(limiter, source, 100));
        _time.Advance(TimeSpan.FromMilliseconds(49));
        Assert.False(limiter.Allow(source));
        _time.Advance(TimeSpan.FromMilliseconds(2));
        Assert.True(limiter.Allow(source));
        Assert.False(limiter.Allow(source));

        var allowed = 0;
        for (var i = 0; i < 100; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(10));
            allowed += limiter.Allow(source) ? 1 : 0;
        }
        Assert.InRange(allowed, 19, 21);
    }

    [Fact]
    public void Burst_refills_to_five_at_most()
    {
        var limiter = new HandshakeRateLimiter(_time);
        var source = At("192.0.2.1:1000");
        CountAllowed(limiter, source, 10);
        _time.Advance(TimeSpan.FromMilliseconds(900));

        Assert.Equal(5, CountAllowed(limiter, source, 100));
    }

    [Fact]
    public void Sources_are_ipv4_addresses_and_ipv6_slash_64s_whatever_the_port()
    {
        var limiter = new HandshakeRateLimiter(_time);
        Assert.Equal(5, CountAllowed(limiter, At("192.0.2.1:1000"), 10));
        Assert.Equal(0, CountAllowed(limiter, At("192.0.2.1:2000"), 10));
        Assert.Equal(5, CountAllowed(limiter, At("192.0.2.2:1000"), 10));
        Assert.Equal(5, CountAllowed(limiter, At("[2001:db8:0:1::1]:1000"), 10));
        Assert.Equal(0, CountAllowed(limiter, At("[2001:db8:0:1:ffff::9]:1000"), 10));
        Assert.Equal(5, CountAllowed(limiter, At("[2001:db8:0:2::1]:1000"), 10));
        Assert.Equal(5, CountAllowed(limiter, At("[::]:1000"), 10));
        Assert.Equal(5, CountAllowed(limiter, At("0.0.0.0:1000"), 10));
    }

    [Fact]
    public void Idle_sources_are_collected()
    {
        var limiter = new HandshakeRateLimiter(_time);
        for (var i = 0; i < 50; i++)
        {
            limiter.Allow(At($"192.0.2.{i}:1"));
        }
        Assert.Equal(50, limiter.Count);
        _time.Advance(TimeSpan.FromMilliseconds(500));
        limiter.Allow(At("198.51.100.1:1"));
        Assert.Equal(51, limiter.Count);

        _time.Advance(TimeSpan.FromMilliseconds(1100));
        limiter.Allow(At("198.51.100.2:1"));

        Assert.Equal(1, limiter.Count);
    }

    [Fact]
    public void Table_is_bounded_and_new_sources_wait_for_collection()
    {
        var limiter = new HandshakeRateLimiter(_time, maxEntries: 3);
        Assert.True(limiter.Allow(At("192.0.2.1:1")));
        Assert.True(limiter.Allow(At("192.0.2.2:1")));
        Assert.True(limiter.Allow(At("192.0.2.3:1")));

        Assert.False(limiter.Allow(At("192.0.2.4:1")));
        Assert.True(limiter.Allow(At("192.0.2.1:1")));
        Assert.Equal(3, limiter.Count);

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(limiter.Allow(At("192.0.2.4:1")));
    }

    [Fact]
    public void Concurrent_callers_share_one_bucket()
    {
        var limiter = new HandshakeRateLimiter(_time);
        var source = At("192.0.2.1:1000");
        var allowed = 0;
        Parallel.For(0, 1000, _ =>
        {
            if (limiter.Allow(source))
            {
                Interlocked.Increment(ref allowed);
            }
        });
        Assert.Equal(5, allowed);
    }

    private static Endpoint At(string text) => Endpoint.FromIPEndPoint(IPEndPoint.Parse(text));

    private static int CountAllowed(HandshakeRateLimiter limiter, Endpoint source, int attempts)
    {
        var allowed = 0;
        for (var i = 0; i < attempts; i++)
        {
            allowed += limiter.Allow(source) ? 1 : 0;
        }
        return allowed;
    }
}
