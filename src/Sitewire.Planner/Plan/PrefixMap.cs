using System.Net;

namespace Sitewire.Planner.Plan;

/// <summary>
/// A 1:1 translation of a LAN subnet on its node (<c>mapped_as</c>): packets arriving from <see cref="Tunnel"/> for
/// <see cref="Mapped"/> get the same host bits in <see cref="Real"/> as destination (nat PREROUTING), packets leaving by
/// it from <see cref="Real"/> get them in <see cref="Mapped"/> as source (nat POSTROUTING); replies are translated back
/// by conntrack. iptables NETMAP, nftables <c>dnat/snat ip prefix to</c>.
/// </summary>
public sealed record PrefixMap(string Tunnel, IPNetwork Real, IPNetwork Mapped);
