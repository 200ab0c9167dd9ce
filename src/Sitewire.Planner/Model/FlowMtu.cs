namespace Sitewire.Planner.Model;

/// <summary>How a full-size TCP segment crosses one direction of a path.</summary>
public enum SegmentFit
{
    /// <summary>It fits every hop (the MSS the sender got, clamped or not, is small enough).</summary>
    Fits,

    /// <summary>A hop's MTU is smaller: that hop sends ICMP fragmentation-needed / packet-too-big and the sender shrinks its segments.</summary>
    AfterPmtuDiscovery,

    /// <summary>A hop's MTU is smaller and that hop drops the ICMP error: the segments are lost every time, the connection stalls.</summary>
    BlackHole,
}

/// <summary>
/// The tunnel's outer packet at a WireGuard hop for a full-size inner packet: <see cref="Size"/> = tunnel MTU + overhead of the
/// endpoint's family, against <see cref="PathMtu"/>, the smaller uplink MTU of the two nodes (<see cref="NarrowAt"/>). Above it
/// the outer packet is fragmented: by the sender when its own uplink is the narrow one, else after path MTU discovery on the
/// outer path (the first full-size packet is lost). It still arrives.
/// </summary>
public sealed record OuterMtu(int Size, int PathMtu, string NarrowAt, bool FragmentedBySender)
{
    public bool Fragmented => Size > PathMtu;

    public override string ToString() => !Fragmented
        ? $"outer {Size} fits {PathMtu}"
        : $"outer {Size} > {PathMtu} ({NarrowAt}'s uplink): fragmented {(FragmentedBySender ? "by the sender" : "after path MTU discovery on the outer path")}";
}

/// <summary>One hop's egress MTU (null where the packet is delivered), and the outer packet at a WireGuard hop.</summary>
public sealed record HopMtu(string Host, string? OutInterface, int? Mtu, OuterMtu? Outer)
{
    public override string ToString() => Mtu is null ? "delivered" : Outer is null ? $"mtu {Mtu}" : $"mtu {Mtu}, {Outer}";
}

/// <summary>
/// One direction of a flow: each hop's MTU, the path MTU (the smallest), and for TCP the full-size segment its sender sends
/// (the MSS it was given, after clamps, plus headers) and how it crosses (<see cref="Fit"/>, at <see cref="Bottleneck"/>).
/// </summary>
public sealed record DirectionMtu(IReadOnlyList<HopMtu> Hops, int PathMtu, int? Segment, SegmentFit Fit, string? Bottleneck, string Explanation);

/// <summary>
/// The MTU verdict of a flow that holds both ways: each direction, whether full-size TCP segments stall, and the largest
/// packet that crosses both ways unfragmented (<see cref="ProbeSize"/>: what a don't-fragment probe of the flow can send).
/// <see cref="EchoBlocked"/>: the network lets the flow through between its ends but not an echo (as a flow policy that
/// allows only the flow's port does), so a don't-fragment ping cannot probe that size.
/// </summary>
public sealed record FlowMtu(DirectionMtu Forward, DirectionMtu Return, bool EchoBlocked = false)
{
    public bool Stalls => Forward.Fit == SegmentFit.BlackHole || Return.Fit == SegmentFit.BlackHole;

    public int ProbeSize => Math.Min(Forward.PathMtu, Return.PathMtu);

    /// <summary>The direction that stalls first, or null.</summary>
    public DirectionMtu? Stalled => Forward.Fit == SegmentFit.BlackHole ? Forward : Return.Fit == SegmentFit.BlackHole ? Return : null;
}
