using System.Text.Json.Serialization;
using Sitewire.Cli.Display;
using Sitewire.Cli.Outcome;
using Sitewire.Host.Lab;

namespace Sitewire.Cli.Lab;

/// <summary>`lab --json` and `lab check --json`: the lab, whether it agrees with verify and the topology, and every flow tried.</summary>
internal sealed record LabRunJson(
    int Version,
    string Id,
    string Topology,
    string Engine,
    [property: JsonPropertyName("agreesWithVerify")] bool AgreesWithVerify,
    [property: JsonPropertyName("meetsTopology")] bool MeetsTopology,
    IReadOnlyList<LabFlowJson> Flows)
{
    public static LabRunJson Of(LabState state, IReadOnlyList<LabFlowResult> results) => new(
        CliJson.Version,
        state.Id,
        Shown.Name(state.Name),
        state.Engine,
        results.All(r => r.Agrees),
        results.All(r => r.MeetsExpectation),
        [.. results.Select(LabFlowJson.Of)]);
}

internal sealed record LabFlowJson(
    string Flow, string From, string To, int Port, string Protocol, string Expect, string Predicted, string Prediction, string Observed, string Detail,
    [property: JsonPropertyName("roundTripMs")] double? RoundTripMs,
    bool Agrees)
{
    public static LabFlowJson Of(LabFlowResult result) => new(
        Shown.Sentence(result.Flow.Name),
        Shown.Name(result.Flow.FromHost),
        result.Flow.ToAddress,
        result.Flow.Port,
        result.Flow.Protocol.ToString().ToLowerInvariant(),
        result.Flow.ExpectAllowed ? "allow" : "deny",
        FlowTable.Predicted(result.Flow),
        Shown.Sentence(result.Flow.Prediction),
        FlowTable.Observed(result.Outcome),
        Shown.Sentence(result.Outcome.Detail),
        result.Outcome.RoundTrip?.TotalMilliseconds,
        result.Agrees);
}
