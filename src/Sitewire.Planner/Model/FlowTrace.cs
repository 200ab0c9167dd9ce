namespace Sitewire.Planner.Model;

/// <summary>
/// A flow simulated there and back. <see cref="Return"/> is null when the forward packet never arrived. When it reached
/// a host that offers nothing on the port, <see cref="Refusal"/> is the way of the host's refusal back to the sender
/// (a TCP reset, an ICMP port unreachable): the network let the flow through, and only the host refused it.
/// </summary>
public sealed record FlowTrace(Packet Request, PathTrace Forward, PathTrace? Return, PathTrace? Refusal = null)
{
    /// <summary>The flow crossed the network to a host that refused it, and the refusal reaches the sender.</summary>
    public bool RefusedByHost => Refusal is { Arrived: true };

    public bool Holds => Forward.Arrived && Return is { Arrived: true };

    /// <summary>The first breakage, forward before return.</summary>
    public Breakage? Breakage => Forward.Breakage ?? Return?.Breakage;

    /// <summary>"forward" or "return": the direction that broke, or null when the flow holds.</summary>
    public string? BrokenDirection => Forward.Breakage is not null ? "forward" : Return?.Breakage is not null ? "return" : null;
}
