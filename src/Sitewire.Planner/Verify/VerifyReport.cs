namespace Sitewire.Planner.Verify;

/// <summary>The static findings and every declared flow's result. Passes when no finding is an error and every flow is met.</summary>
public sealed record VerifyReport(IReadOnlyList<Finding> Findings, IReadOnlyList<FlowResult> Flows)
{
    public bool Passed => !Findings.Any(f => f.Severity == Severity.Error) && Flows.All(f => f.Met);
}
