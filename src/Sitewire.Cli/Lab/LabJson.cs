using System.CommandLine;
using System.Text.Json;
using Sitewire.Cli.Display;
using Sitewire.Host.Lab;

namespace Sitewire.Cli.Lab;

/// <summary>`--json` for `lab` and `lab check`: the flow results on stdout (progress and the table go to stderr).</summary>
internal static class LabJson
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public static Option<bool> Option { get; } = new("--json") { Description = "Print the flow results as JSON on stdout (progress on stderr)." };

    public static void Write(LabState state, IReadOnlyList<LabFlowResult> results) =>
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            id = state.Id,
            topology = Shown.Name(state.Name),
            engine = state.Engine,
            agreesWithVerify = results.All(r => r.Agrees),
            meetsTopology = results.All(r => r.MeetsExpectation),
            flows = results.Select(r => new
            {
                flow = Shown.Sentence(r.Flow.Name),
                from = Shown.Name(r.Flow.FromHost),
                to = r.Flow.ToAddress,
                port = r.Flow.Port,
                protocol = r.Flow.Protocol.ToString().ToLowerInvariant(),
                expect = r.Flow.ExpectAllowed ? "allow" : "deny",
                predicted = FlowTable.Predicted(r.Flow),
                prediction = Shown.Sentence(r.Flow.Prediction),
                observed = FlowTable.Observed(r.Outcome),
                detail = Shown.Sentence(r.Outcome.Detail),
                roundTripMs = r.Outcome.RoundTrip?.TotalMilliseconds,
                agrees = r.Agrees,
            }),
        }, Options));
}
