namespace Sitewire.Host.Lab;

/// <summary>
/// Runs a lab's recorded flows, results in declaration order (denied flows wait out their shorter timeout). Each flow
/// sees the network as verify does, from its idle state: where a flow could open a session another would then ride on
/// (<see cref="LabSessionReset"/>), the flows run one at a time, the sessions reset before each; otherwise in parallel.
/// </summary>
public static class LabFlows
{
    public static IReadOnlyList<LabFlowResult> Run(LabState state, LabOptions options) => Run(state, state.Flows, options);

    /// <summary>The lab's flows with other predictions (verify's with a relay down), run the same way.</summary>
    public static IReadOnlyList<LabFlowResult> Run(LabState state, IReadOnlyList<LabFlow> flows, LabOptions options)
    {
        if (state.ForgetBeforeEachFlow.Count == 0)
        {
            return flows.AsParallel().AsOrdered().WithDegreeOfParallelism(Math.Max(1, Math.Min(flows.Count, 16)))
                .Select(flow => Probe(state, flow, options))
                .ToList();
        }
        var results = new List<LabFlowResult>();
        foreach (var flow in flows)
        {
            LabSessionReset.Run(state);
            results.Add(Probe(state, flow, options));
        }
        return results;
    }

    /// <summary>
    /// A flow verify predicts to be answered, or refused by its destination (the refusal comes back the whole way, as an answer
    /// would), or that should pass, gets the full timeout; only one predicted to be dropped on the way waits the short one.
    /// </summary>
    private static LabFlowResult Probe(LabState state, LabFlow flow, LabOptions options) =>
        new(flow, FlowProbe.Run(state, flow, flow.PredictedAllowed || flow.PredictedRefused || flow.ExpectAllowed ? options.FlowTimeout : options.DeniedFlowTimeout));
}
