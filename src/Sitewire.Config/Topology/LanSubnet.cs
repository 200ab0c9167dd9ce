using System.Net;

namespace Sitewire.Config.Topology;

/// <summary>
/// A prefix reachable from a site node over its LAN: on the LAN's link itself (<see cref="Via"/> null)
/// or through a LAN router at <see cref="Via"/> (a route the node already has, as the seed's
/// office reaches 172.17.50.0/24). <see cref="MappedAs"/>: the prefix of the same length the rest of the network
/// knows it by (a 1:1 NETMAP on the site's node, for LANs that overlap another site's); null when it is not mapped.
/// </summary>
public sealed record LanSubnet(IPNetwork Prefix, IPAddress? Via, IPNetwork? MappedAs = null)
{
    /// <summary>The prefix the other nodes route to this subnet: <see cref="MappedAs"/> when mapped, else the prefix itself.</summary>
    public IPNetwork Routed => MappedAs ?? Prefix;

    /// <summary>The address other sites reach <paramref name="address"/> (of this subnet) at: the same host bits in <see cref="MappedAs"/>.</summary>
    public IPAddress Seen(IPAddress address) => MappedAs is { } mapped ? PrefixMapping.Translate(address, mapped) : address;
}
