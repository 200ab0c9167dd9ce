using System.Net;
using Sitewire.Config.Topology;

namespace Sitewire.Planner.Plan;

/// <summary>One node's view of one WireGuard peer: the peer node and the prefixes routed to it (AllowedIPs).</summary>
public sealed record PeerLink(Node Peer, IReadOnlyList<IPNetwork> AllowedIps);
