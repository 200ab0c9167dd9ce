using Sitewire.Cli.Display;
using Sitewire.Cli.Outcome;
using Sitewire.Config.Topology;
using Sitewire.Planner.Verify;

namespace Sitewire.Cli.Trace;

/// <summary>`trace --json`: the flow, its verdict and both directions hop by hop.</summary>
internal sealed record TraceJson(int Version, string From, string To, string Request, bool Holds, string? BrokenDirection, PathJson Forward, PathJson Return)
{
    public static TraceJson Of(string from, FlowTarget target, FlowResult result)
    {
        var trace = result.Trace!;
        return new(
            CliJson.Version,
            Shown.Name(from),
            Shown.Name(target.ToString()),
            trace.Request.ToString(),
            result.Passes,
            trace.BrokenDirection ?? (result.Mtu?.Stalls == true ? "mtu" : null),
            PathJson.Of(trace.Forward, result.Mtu?.Forward),
            PathJson.Of(trace.Return, result.Mtu?.Return));
    }
}
