namespace Sitewire.Host.Lab;

/// <summary>Runs a lab's recorded flows, in parallel (denied flows wait out their timeout), results in declaration order.</summary>
public static class LabFlows
{
    public static IReadOnlyList<LabFlowResult> Run(LabState state, LabOptions options) =>
        state.Flows.AsParallel().AsOrdered().WithDegreeOfParallelism(Math.Max(1, Math.Min(state.Flows.Count, 16)))
            .Select(flow => new LabFlowResult(flow, FlowProbe.Run(state, flow, flow.PredictedAllowed || flow.ExpectAllowed ? options.FlowTimeout : options.DeniedFlowTimeout)))
            .ToList();
}
