using System.Net;

namespace Sitewire.Config.Topology;

/// <summary>
/// A prefix reachable from a site node over its LAN: on the LAN's link itself (<see cref="Via"/> null)
/// or through a LAN router at <see cref="Via"/> (a route the node already has, as the seed's
/// office reaches 172.17.50.0/24).
/// </summary>
public sealed record LanSubnet(IPNetwork Prefix, IPAddress? Via);
