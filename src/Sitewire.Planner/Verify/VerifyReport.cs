namespace Sitewire.Planner.Verify;

/// <summary>
/// The static findings and every declared flow's result. Passes when no finding is an error and every flow is met.
/// <see cref="FailureStates"/>: with several relays, every flow again with each relay down (a flow that then breaks is
/// a warning finding, not a failure: it is a fact of the design to know, as a single relay is).
/// </summary>
public sealed record VerifyReport(IReadOnlyList<Finding> Findings, IReadOnlyList<FlowResult> Flows)
{
    public IReadOnlyList<FailureState> FailureStates { get; init; } = [];

    public bool Passed => !Findings.Any(f => f.Severity == Severity.Error) && Flows.All(f => f.Met);
}
