namespace Sitewire.Host.Lab;

/// <summary>A flow, what the verifier predicted, and what the lab saw. <see cref="Agrees"/> is the lab's verdict.</summary>
public sealed record LabFlowResult(LabFlow Flow, FlowOutcome Outcome)
{
    public bool Agrees => Outcome.Reached == Flow.PredictedAllowed;
}
