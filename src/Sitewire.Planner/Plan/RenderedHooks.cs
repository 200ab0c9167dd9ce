namespace Sitewire.Planner.Plan;

/// <summary>The rules rendered as wg-quick hook lines for the node's OS; PostDown removes exactly what PostUp added.</summary>
public sealed record RenderedHooks(IReadOnlyList<string> PostUp, IReadOnlyList<string> PostDown);
