using System.Net;
using Sitewire.Config.Topology;

namespace Sitewire.Planner.Import;

/// <summary>What import inferred from a set of wg-quick configs: the network settings (<see cref="OverlayV6"/> null: no node has an IPv6 Address) and the nodes, in the order of the files.</summary>
public sealed record ImportedTopology(
    IPNetwork Overlay,
    IPNetwork? OverlayV6,
    string InterfaceName,
    int ListenPort,
    int? Mtu,
    int? PersistentKeepalive,
    NetworkShape Shape,
    string? Hub,
    IReadOnlyList<ImportedNode> Nodes);
