using System.Net;

namespace Sitewire.Config.Topology;

/// <summary>
/// A site node's LAN side: the interface, the node's own addresses on it (IPv4 <see cref="Address"/>, IPv6
/// <see cref="AddressV6"/>, each with its prefix length), and the prefixes it serves.
/// </summary>
public sealed record LanSettings(
    string Interface,
    IPAddress? Address,
    int? PrefixLength,
    IReadOnlyList<LanSubnet> Subnets,
    IPAddress? AddressV6 = null,
    int? PrefixLengthV6 = null);
