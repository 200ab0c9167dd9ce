using Sitewire.Config.Failover;

namespace Sitewire.Host.Failover;

/// <summary>
/// One relay's health from its probe answers: down after <see cref="FailoverTimings.FailAfter"/> unanswered probes in a
/// row; a down relay is up again only once it has answered every probe for <see cref="FailoverTimings.HoldDown"/>
/// (the hold-down). A relay starts up: the wg-quick config gives the preferred relay the traffic.
/// </summary>
public sealed class RelayHealth(FailoverTimings timings)
{
    private DateTimeOffset? _answeringSince;

    public bool Up { get; private set; } = true;

    /// <summary>Unanswered probes since the last answer.</summary>
    public int Misses { get; private set; }

    public DateTimeOffset? LastAnswer { get; private set; }

    /// <summary>Records one probe's outcome; true when that made the relay go down or come back up.</summary>
    public bool Record(bool answered, DateTimeOffset now)
    {
        if (!answered)
        {
            _answeringSince = null;
            Misses++;
            if (Up && Misses >= timings.FailAfter)
            {
                Up = false;
                return true;
            }
            return false;
        }
        Misses = 0;
        LastAnswer = now;
        _answeringSince ??= now;
        if (!Up && now - _answeringSince.Value >= timings.HoldDown)
        {
            Up = true;
            return true;
        }
        return false;
    }
}
