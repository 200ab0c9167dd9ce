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

    /// <summary>
    /// The segment an address of this LAN is on: the most specific routed subnet (<c>via</c>) that holds it; else the
    /// LAN's own link, with the prefix of the node's LAN address of that family when it holds the address, else the most
    /// specific on-link subnet that does. Null when no subnet and no LAN address holds it.
    /// </summary>
    public LanSegment? SegmentOf(IPAddress address)
    {
        var subnet = Subnets.Where(s => s.Prefix.Contains(address)).MaxBy(s => s.Prefix.PrefixLength);
        if (subnet?.Via is { } via)
        {
            return new LanSegment(subnet.Prefix, via);
        }
        var own = InterfaceAddresses
            .Where(a => a.Address.AddressFamily == address.AddressFamily)
            .Select(a => LanSegment.OwnLink(a.Address, a.PrefixLength))
            .FirstOrDefault(segment => segment.Prefix.Contains(address));
        return own ?? (subnet is null ? null : new LanSegment(subnet.Prefix, null));
    }

    /// <summary>
    /// The address another site reaches <paramref name="address"/> of this LAN at: its mapped address when the subnet
    /// holding it is mapped (the most specific one), else the address itself.
    /// </summary>
    public IPAddress SeenFromOtherSites(IPAddress address) =>
        Subnets.Where(s => s.Prefix.Contains(address)).MaxBy(s => s.Prefix.PrefixLength) is { } subnet ? subnet.Seen(address) : address;

    /// <summary>The node's LAN address of the address family of <paramref name="peer"/>, if it has one.</summary>
    public IPAddress? AddressOfFamily(IPAddress peer) =>
        InterfaceAddresses.Select(a => a.Address).FirstOrDefault(a => a.AddressFamily == peer.AddressFamily);
}
