using System.Net;
using System.Net.Sockets;

namespace Sitewire.Config.Topology;

/// <summary>
/// The link a LAN address sits on, as verify's model and the lab lay a site out: <see cref="Prefix"/> is what a host
/// there has on-link; <see cref="Via"/> is the LAN router in front of a routed subnet (null on the node's own LAN link).
/// A host reaches its gateway directly, so the gateway must be an address of this prefix.
/// </summary>
public sealed record LanSegment(IPNetwork Prefix, IPAddress? Via)
{
    /// <summary>The LAN's own link as seen from an interface address with its prefix length, such as 10.62.0.1/24.</summary>
    public static LanSegment OwnLink(IPAddress address, int prefixLength) =>
        new(new IPNetwork(TopologyValues.Masked(address, prefixLength), prefixLength), null);

    /// <summary>
    /// Whether a host at <paramref name="host"/> can use <paramref name="gateway"/> as next hop: an address of the prefix
    /// other than the host's own and, for IPv4 prefixes that have them, other than the network and broadcast addresses.
    /// </summary>
    public bool CanBeGatewayOf(IPAddress gateway, IPAddress host) =>
        Prefix.Contains(gateway) && !gateway.Equals(host) && (!HasNetworkAndBroadcast || (!gateway.Equals(First(0)) && !gateway.Equals(Last(0))));

    /// <summary>Where <see cref="CanBeGatewayOf"/> holds, in words: "10.162.0.1 to 10.162.0.254".</summary>
    public string UsableRange => HasNetworkAndBroadcast ? $"{First(1)} to {Last(1)}" : $"{First(0)} to {Last(0)}";

    /// <summary>Where it is, in words: "10.162.0.0/24 (behind the LAN router 10.62.0.254)" or "10.62.0.0/24 (the LAN's own link)".</summary>
    public override string ToString() => Via is null ? $"{Prefix} (the LAN's own link)" : $"{Prefix} (behind the LAN router {Via})";

    private bool HasNetworkAndBroadcast => Prefix.BaseAddress.AddressFamily == AddressFamily.InterNetwork && Prefix.PrefixLength < 31;

    private IPAddress First(int offset) => OverlayAddressAllocator.AddressAt(Prefix, offset);

    private IPAddress Last(int offset) => OverlayAddressAllocator.AddressAt(Prefix, Size - 1 - offset);

    private System.Numerics.BigInteger Size =>
        System.Numerics.BigInteger.One << ((Prefix.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128) - Prefix.PrefixLength);
}
