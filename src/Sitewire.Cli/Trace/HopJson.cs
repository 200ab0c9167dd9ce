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

    public static object Hop(Hop hop) => new
    {
        host = Shown.Name(hop.Host),
        @in = Shown.NameOrNull(hop.InInterface),
        @out = Shown.NameOrNull(hop.OutInterface),
        source = hop.Packet.Source.ToString(),
        destination = hop.Packet.Destination.ToString(),
        packet = hop.Packet.ToString(),
        decision = Shown.Sentence(hop.Decision),
    };

    public static object? Breakage(Breakage? breakage) => breakage is null ? null : new
    {
        code = breakage.Code,
        host = Shown.Name(breakage.Host),
        reason = Shown.Sentence(breakage.Reason),
        fix = Shown.Sentence(breakage.Fix),
    };

    public static object Path(PathTrace? path) => path is null
        ? new { arrived = false, hops = Array.Empty<object>(), breakage = (object?)null }
        : new { arrived = path.Arrived, hops = path.Hops.Select(Hop).ToArray(), breakage = Breakage(path.Breakage) };
}
