namespace Sitewire.Planner.Model;

/// <summary>A flow simulated there and back. <see cref="Return"/> is null when the forward packet never arrived.</summary>
public sealed record FlowTrace(Packet Request, PathTrace Forward, PathTrace? Return)
{
    public bool Holds => Forward.Arrived && Return is { Arrived: true };

    /// <summary>The first breakage, forward before return.</summary>
    public Breakage? Breakage => Forward.Breakage ?? Return?.Breakage;

    /// <summary>"forward" or "return": the direction that broke, or null when the flow holds.</summary>
    public string? BrokenDirection => Forward.Breakage is not null ? "forward" : Return?.Breakage is not null ? "return" : null;
}
