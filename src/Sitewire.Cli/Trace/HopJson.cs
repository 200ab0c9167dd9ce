using System.Text.Encodings.Web;
using System.Text.Json;
using Sitewire.Cli.Display;
using Sitewire.Planner.Model;

namespace Sitewire.Cli.Trace;

/// <summary>The JSON shape of hops and breakages, and the serializer options, shared by `verify --json` and `trace --json`.</summary>
internal static class HopJson
{
    /// <summary>Indented, with quotes, arrows and apostrophes written as themselves.</summary>
    public static readonly JsonSerializerOptions Options = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static object Hop(Hop hop, HopMtu? mtu = null) => new
    {
        host = Shown.Name(hop.Host),
        @in = Shown.NameOrNull(hop.InInterface),
        @out = Shown.NameOrNull(hop.OutInterface),
        source = hop.Packet.Source.ToString(),
        destination = hop.Packet.Destination.ToString(),
        packet = hop.Packet.ToString(),
        decision = Shown.Sentence(hop.Decision),
        mtu = mtu?.Mtu,
        outer = mtu?.Outer is { } outer ? new { size = outer.Size, path_mtu = outer.PathMtu, narrow_at = Shown.Name(outer.NarrowAt), fragmented = outer.Fragmented, fragmented_by_sender = outer.FragmentedBySender } : null,
    };

    public static object? Breakage(Breakage? breakage) => breakage is null ? null : new
    {
        code = breakage.Code,
        host = Shown.Name(breakage.Host),
        reason = Shown.Sentence(breakage.Reason),
        fix = Shown.Sentence(breakage.Fix),
    };

    public static object Path(PathTrace? path, DirectionMtu? mtu = null) => path is null
        ? new { arrived = false, hops = Array.Empty<object>(), breakage = (object?)null, mtu = (object?)null }
        : new { arrived = path.Arrived, hops = path.Hops.Select((hop, i) => Hop(hop, mtu?.Hops[i])).ToArray(), breakage = Breakage(path.Breakage), mtu = Mtu(mtu) };

    private static object? Mtu(DirectionMtu? mtu) => mtu is null ? null : new
    {
        path_mtu = mtu.PathMtu,
        segment = mtu.Segment,
        fit = mtu.Fit switch { SegmentFit.Fits => "fits", SegmentFit.AfterPmtuDiscovery => "after-pmtu-discovery", _ => "black-hole" },
        bottleneck = Shown.NameOrNull(mtu.Bottleneck),
        explanation = Shown.Sentence(mtu.Explanation),
    };
}
