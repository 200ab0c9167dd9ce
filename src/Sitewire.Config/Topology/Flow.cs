using Sitewire.Config.Diagnostics;

namespace Sitewire.Config.Topology;

/// <summary>A flow the design must carry (or must stop): from a host or node name to a target.</summary>
public sealed record Flow(string From, FlowTarget To, FlowExpectation Expect, SourceLocation Location)
{
    public override string ToString() => $"{From} -> {To} ({Expect.ToString().ToLowerInvariant()})";
}
