namespace Sitewire.Planner.Model;

/// <summary>What WireGuard adds around a tunnel packet: the outer IP header, 8 bytes of UDP and 32 of WireGuard (16 header, 16 tag).</summary>
public static class WireGuardOverhead
{
    /// <summary>20 IPv4 + 8 UDP + 32 WireGuard.</summary>
    public const int Ipv4 = 60;

    /// <summary>40 IPv6 + 8 UDP + 32 WireGuard.</summary>
    public const int Ipv6 = 80;

    /// <summary>The overhead over an endpoint: IPv6 for a bracketed IPv6 literal, else IPv4 (an address or a name the lab and most hosts resolve to IPv4).</summary>
    public static int Over(string? endpoint) => endpoint is not null && endpoint.StartsWith('[') ? Ipv6 : Ipv4;
}
