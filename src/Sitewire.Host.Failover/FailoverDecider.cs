using Sitewire.Config.Failover;

namespace Sitewire.Host.Failover;

/// <summary>
/// Which relay carries the traffic: the first relay, in order of preference, that is up (<see cref="RelayHealth"/>);
/// when none is, the one that carries it now keeps it. Pure: fed the probe answers and the time, it answers whether to
/// switch, so a fake clock tests every timing.
/// </summary>
public sealed class FailoverDecider
{
    private readonly FailoverSettings _settings;
    private readonly RelayHealth[] _health;

    public FailoverDecider(FailoverSettings settings)
    {
        _settings = settings;
        _health = [.. settings.Relays.Select(_ => new RelayHealth(settings.Timings))];
    }

    /// <summary>The index of the relay that carries the traffic.</summary>
    public int Active { get; private set; }

    public IReadOnlyList<RelayHealth> Health => _health;

    /// <summary>Records one round of probe answers (one per relay, in the settings' order); the switch it calls for, if any.</summary>
    public FailoverSwitch? Observe(IReadOnlyList<bool> answered, DateTimeOffset now)
    {
        if (answered.Count != _health.Length)
        {
            throw new ArgumentException($"{answered.Count} answers for {_health.Length} relays", nameof(answered));
        }
        for (var index = 0; index < _health.Length; index++)
        {
            _health[index].Record(answered[index], now);
        }
        var best = Array.FindIndex(_health, health => health.Up);
        if (best < 0 || best == Active)
        {
            return null;
        }
        var from = _settings.Relays[Active].Name;
        var reason = _health[Active].Up
            ? $"{_settings.Relays[best].Name} answered every probe for {_settings.Timings.HoldDown.TotalSeconds:0} s"
            : $"{from}: {_health[Active].Misses} probes unanswered";
        Active = best;
        return new FailoverSwitch(from, _settings.Relays[best].Name, reason, now);
    }
}
