using System.Globalization;
using Sitewire.Tunnel;

namespace Sitewire.Daemon;

/// <summary>Test-only SITEWIRED_TEST_* variables (seconds) that shorten the protocol's timers.</summary>
internal static class TestTimings
{
    public const string RekeyAfter = "SITEWIRED_TEST_REKEY_AFTER_SECONDS";
    public const string RejectAfter = "SITEWIRED_TEST_REJECT_AFTER_SECONDS";
    public const string Keepalive = "SITEWIRED_TEST_KEEPALIVE_SECONDS";
    public const string RekeyTimeout = "SITEWIRED_TEST_REKEY_TIMEOUT_SECONDS";

    /// <summary>The default timings with any variable that is set applied; throws <see cref="FormatException"/> on a bad value.</summary>
    public static ProtocolTimings FromEnvironment()
    {
        var timings = ProtocolTimings.Default;
        if (Read(RekeyAfter) is { } rekeyAfter)
        {
            timings = timings with { RekeyAfterTime = rekeyAfter };
        }
        if (Read(RejectAfter) is { } rejectAfter)
        {
            timings = timings with { RejectAfterTime = rejectAfter };
        }
        if (Read(Keepalive) is { } keepalive)
        {
            timings = timings with { KeepaliveTimeout = keepalive };
        }
        if (Read(RekeyTimeout) is { } rekeyTimeout)
        {
            timings = timings with { RekeyTimeout = rekeyTimeout };
        }
        return timings;
    }

    private static TimeSpan? Read(string variable)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !(seconds > 0) || seconds > 86400)
        {
            throw new FormatException($"{variable}={value}: expected a number of seconds above 0");
        }
        return TimeSpan.FromSeconds(seconds);
    }
}
