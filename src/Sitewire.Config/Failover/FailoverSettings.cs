namespace Sitewire.Config.Failover;

/// <summary>
/// A site node's failover agent configuration (`sitewire-failover.conf`, written by plan, read by `sitewire failover`):
/// the WireGuard interface, the prefixes the active relay carries, the relays in order of preference, the timings.
/// </summary>
public sealed record FailoverSettings(
    string Interface,
    IReadOnlyList<System.Net.IPNetwork> Carried,
    IReadOnlyList<FailoverRelay> Relays,
    FailoverTimings Timings,
    string StateFile)
{
    /// <summary>
    /// The AllowedIPs of a relay's peer while the relay at <paramref name="activeIndex"/> carries the traffic: its own
    /// prefixes, and the carried ones too when it is the active relay. The agent sets them; verify models them.
    /// </summary>
    public IReadOnlyList<System.Net.IPNetwork> AllowedIpsOf(int relayIndex, int activeIndex)
    {
        var own = Relays[relayIndex].Own;
        return relayIndex == activeIndex ? [.. own, .. Carried.Where(prefix => !own.Contains(prefix))] : own;
    }

    /// <summary>Where the agent keeps its state for `sitewire failover status` unless the file says otherwise.</summary>
    public static string DefaultStateFile(string interfaceName) => $"/run/sitewire/failover-{interfaceName}.json";
}
