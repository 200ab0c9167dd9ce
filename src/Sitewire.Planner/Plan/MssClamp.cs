namespace Sitewire.Planner.Plan;

/// <summary>
/// The MSS clamp of a node that forwards LAN TCP into the tunnel: TCP SYNs forwarded out of <see cref="Tunnel"/> get the
/// MSS of the route's MTU (the tunnel's), and SYNs forwarded in from it are lowered to what fits <see cref="TunnelMtu"/>
/// (the far end may not clamp), so full-size segments of LAN hosts at MTU 1500 fit without path MTU discovery.
/// </summary>
public sealed record MssClamp(string Tunnel, int TunnelMtu)
{
    /// <summary>IPv4 (20) and TCP (20) headers: MSS = MTU - 40.</summary>
    public const int Ipv4Headers = 40;

    /// <summary>IPv6 (40) and TCP (20) headers: MSS = MTU - 60.</summary>
    public const int Ipv6Headers = 60;

    public int Ipv4Mss => TunnelMtu - Ipv4Headers;

    public int Ipv6Mss => TunnelMtu - Ipv6Headers;

    public int MssFor(bool ipv6) => ipv6 ? Ipv6Mss : Ipv4Mss;
}
