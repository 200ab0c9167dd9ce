using Sitewire.Cli.Display;
using Sitewire.Planner.Model;

namespace Sitewire.Cli.Trace;

/// <summary>The JSON shape of one direction of a flow (hops, breakage, MTU), shared by `verify --json` and `trace --json`.</summary>
internal sealed record PathJson(bool Arrived, IReadOnlyList<HopJson> Hops, BreakageJson? Breakage, DirectionMtuJson? Mtu)
{
    public static PathJson Of(PathTrace? path, DirectionMtu? mtu) => path is null
        ? new(false, [], null, null)
        : new(path.Arrived, [.. path.Hops.Select((hop, i) => HopJson.Of(hop, mtu?.Hops[i]))], BreakageJson.Of(path.Breakage), DirectionMtuJson.Of(mtu));
}

internal sealed record HopJson(string Host, string? In, string? Out, string Source, string Destination, string Packet, string Decision, int? Mtu, OuterMtuJson? Outer)
{
    public static HopJson Of(Hop hop, HopMtu? mtu) => new(
        Shown.Name(hop.Host),
        Shown.NameOrNull(hop.InInterface),
        Shown.NameOrNull(hop.OutInterface),
        hop.Packet.Source.ToString(),
        hop.Packet.Destination.ToString(),
        hop.Packet.ToString(),
        Shown.Sentence(hop.Decision),
        mtu?.Mtu,
        mtu?.Outer is { } outer ? new(outer.Size, outer.PathMtu, Shown.Name(outer.NarrowAt), outer.Fragmented, outer.FragmentedBySender) : null);
}

internal sealed record OuterMtuJson(int Size, int PathMtu, string NarrowAt, bool Fragmented, bool FragmentedBySender);

internal sealed record BreakageJson(string Code, string Host, string Reason, string Fix)
{
    public static BreakageJson? Of(Breakage? breakage) => breakage is null
        ? null
        : new(breakage.Code, Shown.Name(breakage.Host), Shown.Sentence(breakage.Reason), Shown.Sentence(breakage.Fix));
}

internal sealed record DirectionMtuJson(int PathMtu, int? Segment, string Fit, string? Bottleneck, string Explanation)
{
    public static DirectionMtuJson? Of(DirectionMtu? mtu) => mtu is null ? null : new(
        mtu.PathMtu,
        mtu.Segment,
        mtu.Fit switch { SegmentFit.Fits => "fits", SegmentFit.AfterPmtuDiscovery => "after-pmtu-discovery", _ => "black-hole" },
        Shown.NameOrNull(mtu.Bottleneck),
        Shown.Sentence(mtu.Explanation));
}
