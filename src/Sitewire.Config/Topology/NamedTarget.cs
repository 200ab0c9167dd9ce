using System.Net;
using System.Net.Sockets;

namespace Sitewire.Config.Topology;

/// <summary>
/// A host or node a flow names, with its address of each family (a node's are its overlay addresses). Hosts win over
/// nodes of the same name, as the loader has always resolved them. A host of a mapped LAN (<c>mapped_as</c>) is named by
/// its mapped address from every other site, by its own on its own site.
/// </summary>
public sealed record NamedTarget(string Name, bool IsNode, IPAddress? Ipv4, IPAddress? Ipv6)
{
    /// <summary>
    /// The target named <paramref name="name"/> as a flow from <paramref name="fromName"/> (a host or node) addresses it;
    /// without one, as any other site sees it.
    /// </summary>
    public static NamedTarget? Find(IReadOnlyList<LanHost> hosts, IReadOnlyList<Node> nodes, string name, string? fromName = null)
    {
        if (hosts.FirstOrDefault(host => host.Name == name) is { } host)
        {
            var fromSite = hosts.FirstOrDefault(h => h.Name == fromName)?.Site ?? fromName;
            var lan = fromSite == host.Site ? null : nodes.FirstOrDefault(node => node.Name == host.Site)?.Lan;
            var ipv4 = host.Ipv4Address is { } real && lan is not null ? lan.SeenFromOtherSites(real) : host.Ipv4Address;
            return new(host.Name, false, ipv4, host.Ipv6Address);
        }
        return nodes.FirstOrDefault(node => node.Name == name) is { } node ? new(node.Name, true, node.OverlayAddress, node.OverlayAddressV6) : null;
    }

    /// <summary>The family a flow to this target uses: the one asked for, else IPv4 when the target has an IPv4 address.</summary>
    public AddressFamily FamilyFor(AddressFamily? wanted) => wanted ?? (Ipv4 is not null ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6);

    public IPAddress? AddressOf(AddressFamily family) => family == AddressFamily.InterNetwork ? Ipv4 : Ipv6;

    /// <summary>Why the target has no address of <paramref name="family"/>, and what gives it one.</summary>
    public string Missing(AddressFamily family) => (IsNode, family == AddressFamily.InterNetwork) switch
    {
        (true, true) => $"node '{Name}' has no IPv4 overlay address",
        (true, false) => $"node '{Name}' has no IPv6 overlay address: set network.overlay_v6",
        (false, true) => $"host '{Name}' has no IPv4 address",
        (false, false) => $"host '{Name}' has no IPv6 address: set its address_v6",
    };
}
