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
    /// <summary>Where the agent keeps its state for `sitewire failover status` unless the file says otherwise.</summary>
    public static string DefaultStateFile(string interfaceName) => $"/run/sitewire/failover-{interfaceName}.json";
}
