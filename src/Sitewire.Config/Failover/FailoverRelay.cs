using System.Net;
using Sitewire.Crypto;

namespace Sitewire.Config.Failover;

/// <summary>
/// One relay as a site's failover agent sees it: the WireGuard peer (<see cref="PublicKey"/>), the overlay address it
/// probes through that peer's tunnel, and the relay's own prefixes, which stay with that peer whoever carries the rest.
/// </summary>
public sealed record FailoverRelay(string Name, Key PublicKey, IPAddress Probe, IReadOnlyList<IPNetwork> Own);
