namespace Sitewire.Planner.Plan;

/// <summary>
/// Applied only where firewalld runs (runtime, not permanent): the tunnel interface joins the zone
/// of <see cref="ZoneOfInterface"/> (the default zone when that has none), intra-zone forwarding is
/// enabled in that zone, and <see cref="UdpPort"/> is opened when the node listens.
/// </summary>
public sealed record FirewalldZoneChange(string TunnelInterface, string? ZoneOfInterface, int? UdpPort);
