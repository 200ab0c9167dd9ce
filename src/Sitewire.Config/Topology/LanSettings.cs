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
    int? PrefixLengthV6 = null)
{
    /// <summary>The node's addresses on the LAN with their prefix lengths: IPv4 first, at most one per family.</summary>
    public IEnumerable<(IPAddress Address, int PrefixLength)> InterfaceAddresses
    {
        get
        {
            if (Address is { } address && PrefixLength is { } length)
            {
                yield return (address, length);
            }
            if (AddressV6 is { } addressV6 && PrefixLengthV6 is { } lengthV6)
            {
                yield return (addressV6, lengthV6);
            }
        }
    }
}
