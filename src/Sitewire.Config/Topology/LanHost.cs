using System.Net;
using System.Net.Sockets;
using Sitewire.Config.Diagnostics;

namespace Sitewire.Config.Topology;

/// <summary>
/// A terminal or server on a site's LAN. <see cref="Site"/> names the node whose LAN it is on;
/// <see cref="Router"/> is the LAN router's address when the gateway is a router (optional).
/// <see cref="Address"/> is IPv4 or IPv6; <see cref="AddressV6"/> is the IPv6 address of a dual-stack host
/// (set only when <see cref="Address"/> is IPv4).
/// </summary>
public sealed record LanHost(
    string Name,
    IPAddress Address,
    string Site,
    GatewayKind Gateway,
    IPAddress? Router,
    IReadOnlyList<Service> Services,
    SourceLocation Location,
    IPAddress? AddressV6 = null)
{
    /// <summary>The host's IPv4 address, if it has one.</summary>
    public IPAddress? Ipv4Address => Address.AddressFamily == AddressFamily.InterNetwork ? Address : null;

    /// <summary>The host's IPv6 address, if it has one.</summary>
    public IPAddress? Ipv6Address => AddressV6 ?? (Address.AddressFamily == AddressFamily.InterNetworkV6 ? Address : null);

    /// <summary>Every address of the host: IPv4 first.</summary>
    public IEnumerable<IPAddress> Addresses => new[] { Ipv4Address, Ipv6Address }.OfType<IPAddress>();
}
