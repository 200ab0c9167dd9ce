using System.Net;
using System.Net.Sockets;

namespace Sitewire.Netfilter;

/// <summary>
/// One IP family as the Linux tools spell it, so a check written once runs for both: the family in `ip -j`
/// output (inet/inet6), the nftables table family and address keyword (ip/ip6, also `meta nfproto` ipv4/ipv6),
/// the iptables tool, the `ip` option and command (as in a fix), and the forwarding sysctl.
/// </summary>
public sealed record IpFamily(
    string Name,
    AddressFamily AddressFamily,
    int HostPrefixLength,
    string IpJsonFamily,
    string Nft,
    string NfProto,
    string Iptables,
    string IpOption,
    string IpCommand,
    string ForwardingSysctl)
{
    public static readonly IpFamily V4 = new("IPv4", AddressFamily.InterNetwork, 32, "inet", "ip", "ipv4", "iptables", "-4", "ip", "net.ipv4.ip_forward");

    public static readonly IpFamily V6 = new("IPv6", AddressFamily.InterNetworkV6, 128, "inet6", "ip6", "ipv6", "ip6tables", "-6", "ip -6", "net.ipv6.conf.all.forwarding");

    public static readonly IReadOnlyList<IpFamily> Both = [V4, V6];

    /// <summary>The iptables tool of the family for one backend: iptables-legacy/ip6tables-legacy, else iptables/ip6tables.</summary>
    public string IptablesOf(bool legacy) => legacy ? Iptables + "-legacy" : Iptables;

    /// <summary>The forwarding sysctl as a path under /proc/sys.</summary>
    public string ForwardingSysctlPath => ForwardingSysctl.Replace('.', '/');

    public static IpFamily Of(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6 ? V6 : V4;

    public bool Holds(IPNetwork prefix) => prefix.BaseAddress.AddressFamily == AddressFamily;

    /// <summary>A prefix or a bare address (taken as a host prefix of its family), or null when it is neither.</summary>
    public static IPNetwork? ParsePrefix(string text) =>
        IPNetwork.TryParse(text.Contains('/', StringComparison.Ordinal) ? text : text + (text.Contains(':', StringComparison.Ordinal) ? "/128" : "/32"), out var prefix)
            ? prefix
            : null;

    /// <summary>IPv6 link-local (fe80::/10): on every IPv6 link, never a LAN's or the overlay's prefix.</summary>
    public static bool IsLinkLocal(IPNetwork prefix) => prefix.BaseAddress.IsIPv6LinkLocal;
}
