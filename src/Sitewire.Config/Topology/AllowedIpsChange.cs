using System.Net;
using Sitewire.Config.Diagnostics;

namespace Sitewire.Config.Topology;

/// <summary>
/// How the node's entry for <see cref="Peer"/> differs from the AllowedIPs plan computes: <see cref="Extra"/> prefixes
/// added (a full tunnel's 0.0.0.0/0), <see cref="Missing"/> ones left out (a route someone deleted). Import writes it to
/// keep a deployed config as it is; verify reports each difference and walks the flows through it.
/// </summary>
public sealed record AllowedIpsChange(string Peer, IReadOnlyList<IPNetwork> Extra, IReadOnlyList<IPNetwork> Missing, SourceLocation Location);
