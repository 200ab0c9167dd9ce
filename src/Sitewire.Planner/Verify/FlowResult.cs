using Sitewire.Config.Topology;
using Sitewire.Planner.Model;

namespace Sitewire.Planner.Verify;

/// <summary>
/// A declared flow checked against the model. <see cref="Met"/>: an allow flow holds both ways, or a deny flow is
/// stopped. <see cref="Trace"/> is null when the flow is outside the model (<see cref="Problem"/> says why).
/// <see cref="Mtu"/>: the path MTU verdict of a flow that holds (null otherwise).
/// </summary>
public sealed record FlowResult(Flow Flow, FlowTrace? Trace, bool Met, string? Problem, string? Fix, FlowMtu? Mtu = null)
{
    /// <summary>True when packets pass there and back in the model, full-size TCP segments included.</summary>
    public bool Passes => (Trace?.Holds ?? false) && Mtu is not { Stalls: true };

    /// <summary>The host where the flow broke (forward or return), when it broke.</summary>
    public string? BrokenAt => Trace?.Breakage?.Host;

    public IReadOnlyList<Hop> ForwardHops => Trace?.Forward.Hops ?? [];

    public IReadOnlyList<Hop> ReturnHops => Trace?.Return?.Hops ?? [];
}
