namespace Sitewire.Planner.Plan;

/// <summary>Forwarded packets entering <see cref="InInterface"/> and leaving <see cref="OutInterface"/> are accepted.</summary>
public sealed record ForwardAccept(string InInterface, string OutInterface);
