using System.Net;
using Sitewire.Config.Topology;

namespace Sitewire.Planner.Import;

/// <summary>
/// What import inferred from a set of wg-quick configs: the network settings (<see cref="OverlayV6"/> null: no node has an
/// IPv6 Address; <see cref="Mtu"/> null: none other than plan's default; <see cref="InterfaceName"/> null: the file names do not name one interface) and the nodes, in the order of
/// the files, then the peers without a file in the order they appear. <see cref="Warnings"/> name what the configs hold
/// that a design would not (a prefix routed to a node that has no peer for it, hook lines kept verbatim, ...).
/// </summary>
public sealed record ImportedTopology(
    IPNetwork Overlay,
    IPNetwork? OverlayV6,
    string? InterfaceName,
    int ListenPort,
    int? Mtu,
    int? PersistentKeepalive,
    NetworkShape Shape,
    string? Hub,
    IReadOnlyList<ImportedNode> Nodes,
    IReadOnlyList<string> Warnings);
