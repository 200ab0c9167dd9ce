using System.Net;

namespace Sitewire.Planner.Layout;

/// <summary>
/// The physical network of a topology, derived once from the topology and its plan by <see cref="NetworkLayoutBuilder"/>:
/// every host-to-be (nodes, LAN hosts, LAN routers, NAT routers) with its interfaces, addresses, routes, forwarding,
/// starting firewall and NAT; the segments they plug into; the internet segment with its gateway and what it routes to
/// whom; and the addresses the lab answers for endpoint names. verify's model (<c>ModelBuilder</c>) and the lab's
/// namespaces are both built from this value; the lab's own addresses and names in it are chosen around the user's.
/// </summary>
public sealed record NetworkLayout(
    IReadOnlyList<LayoutHost> Hosts,
    IReadOnlyList<LayoutSegment> Segments,
    InternetLayout Internet,
    IReadOnlyDictionary<string, IPAddress> Names)
{
    public LayoutHost Host(string name) =>
        Hosts.FirstOrDefault(h => h.Name == name) ?? throw new KeyNotFoundException($"the layout has no host named '{name}'");

    /// <summary>Every interface plugged into the segment, with its host.</summary>
    public IEnumerable<(LayoutHost Host, LayoutInterface Interface)> Members(string segment) =>
        Hosts.SelectMany(h => h.Interfaces.Where(i => i.Segment == segment).Select(i => (h, i)));
}

public enum SegmentKind
{
    /// <summary>The public internet: uplinks meet there; every public address on it is reached through <see cref="InternetLayout.Gateway"/>.</summary>
    Internet,

    /// <summary>A point-to-point link between exactly two interfaces (a node's uplink to its NAT router).</summary>
    Link,

    /// <summary>A LAN: any number of interfaces on one layer-2 segment.</summary>
    Lan,
}

/// <summary>A layer-2 segment hosts plug into; names carry a '/' so they never meet a topology's names.</summary>
public sealed record LayoutSegment(string Name, SegmentKind Kind);

/// <summary>
/// The internet segment: <see cref="Gateway"/> is every uplink's default gateway (on-link); each attachment is an
/// interface whose public addresses the internet routes to it (an uplink on the internet segment, or a one-armed node's
/// LAN interface, which carries its public address beside its LAN addresses).
/// </summary>
public sealed record InternetLayout(string Segment, IPAddress Gateway, IReadOnlyList<InternetAttachment> Attachments);

public sealed record InternetAttachment(string Host, string Interface, string Segment, IReadOnlyList<IPAddress> Addresses);
