namespace Sitewire.Host.Lab;

/// <summary>
/// A flow, what the verifier predicted, and what the lab saw. <see cref="Agrees"/>: the lab saw what verify
/// predicted (the verdict of `sitewire lab`): passed, refused by the destination, or stopped by the network;
/// <see cref="MeetsExpectation"/>: the flow does what the topology declares (the verdict of `sitewire lab check`
/// after live fixes): an allow flow passes, a deny flow is stopped by the network (a refusal is not isolation).
/// </summary>
public sealed record LabFlowResult(LabFlow Flow, FlowOutcome Outcome)
{
    public bool Agrees => Outcome.Reached == Flow.PredictedAllowed && (Outcome.Reached || Outcome.Refused == Flow.PredictedRefused);

    public bool MeetsExpectation => Flow.ExpectAllowed ? Outcome.Reached : !Outcome.Reached && !Outcome.Refused;
}
