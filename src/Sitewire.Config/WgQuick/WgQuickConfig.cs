namespace Sitewire.Config.WgQuick;

/// <summary>A whole wg-quick configuration file (<c>/etc/wireguard/&lt;iface&gt;.conf</c>).</summary>
public sealed record WgQuickConfig(WgQuickInterface Interface, IReadOnlyList<WgQuickPeer> Peers);
