using System.Net;
using Sitewire.Config.Diagnostics;

namespace Sitewire.Config.Topology;

/// <summary>
/// A terminal or server on a site's LAN. <see cref="Site"/> names the node whose LAN it is on;
/// <see cref="Router"/> is the LAN router's address when the gateway is a router (optional).
/// </summary>
public sealed record LanHost(
    string Name,
    IPAddress Address,
    string Site,
    GatewayKind Gateway,
    IPAddress? Router,
    IReadOnlyList<Service> Services,
    SourceLocation Location);
