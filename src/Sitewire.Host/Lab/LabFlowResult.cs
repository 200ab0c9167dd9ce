namespace Sitewire.Host.Lab;

/// <summary>
/// A flow, what the verifier predicted, and what the lab saw. <see cref="Agrees"/>: the lab saw what verify
/// predicted (the verdict of `sitewire lab`); <see cref="MeetsExpectation"/>: the flow does what the topology
/// declares (the verdict of `sitewire lab check` after live fixes).
/// </summary>
public sealed record LabFlowResult(LabFlow Flow, FlowOutcome Outcome)
{
    public bool Agrees => Outcome.Reached == Flow.PredictedAllowed;

    public bool MeetsExpectation => Outcome.Reached == Flow.ExpectAllowed;
}
