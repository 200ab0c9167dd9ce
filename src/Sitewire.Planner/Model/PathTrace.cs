namespace Sitewire.Planner.Model;

/// <summary>One direction of a flow: the hops in order; <see cref="Breakage"/> is set when the packet did not arrive.</summary>
public sealed record PathTrace(IReadOnlyList<Hop> Hops, Breakage? Breakage)
{
    public bool Arrived => Breakage is null;
}
