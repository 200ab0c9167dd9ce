namespace Sitewire.Planner.Verify;

/// <summary>Every declared flow checked with one relay of a multi-relay hub down and the sites' agents switched away from it.</summary>
public sealed record FailureState(string DownRelay, IReadOnlyList<FlowResult> Flows);
