using System.Globalization;
using Sitewire.Cli.Display;
using Sitewire.Host.Lab;

namespace Sitewire.Cli.Lab;

/// <summary>
/// Prints flow, verify's prediction, what the lab saw and the round trip. Against the prediction (`lab`), a
/// disagreement is named as a bug; against the topology's intent (`lab check` after a live fix), a failing flow is named.
/// </summary>
internal static class FlowTable
{
    /// <summary>Returns true when every flow agrees with its prediction (or, with <paramref name="againstIntent"/>, does what the topology declares).</summary>
    public static bool Print(IReadOnlyList<LabFlowResult> results, TextWriter output, bool againstIntent = false)
    {
        bool Good(LabFlowResult r) => againstIntent ? r.MeetsExpectation : r.Agrees;
        var rows = results.Select(r => (
            Flow: Shown.Sentence(r.Flow.Name),
            Predicted: Predicted(r.Flow),
            Saw: Observed(r.Outcome) + $" ({Shown.Sentence(r.Outcome.Detail)})",
            Rtt: r.Outcome.RoundTrip is { } rtt ? rtt.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms" : "-",
            Verdict: Good(r) ? "ok" : againstIntent ? "FAILS" : "MISMATCH")).ToList();
        var flowWidth = Math.Max(4, rows.Select(r => r.Flow.Length).DefaultIfEmpty(0).Max());
        var sawWidth = Math.Max(3, rows.Select(r => r.Saw.Length).DefaultIfEmpty(0).Max());
        output.WriteLine($"  {"flow".PadRight(flowWidth)}  {"verify",-8}  {"lab".PadRight(sawWidth)}  {"rtt",9}  verdict");
        foreach (var row in rows)
        {
            output.WriteLine($"  {row.Flow.PadRight(flowWidth)}  {row.Predicted,-8}  {row.Saw.PadRight(sawWidth)}  {row.Rtt,9}  {row.Verdict}");
        }
        if (againstIntent)
        {
            foreach (var failing in results.Where(r => !r.MeetsExpectation))
            {
                output.WriteLine($"  FAILS {Shown.Sentence(failing.Flow.Name)}: the topology declares it {(failing.Flow.ExpectAllowed ? "allowed" : "denied")}, the lab saw {Shown.Sentence(failing.Outcome.Detail)}; run `sitewire lab exec NODE -- sitewire doctor` on the nodes on its path");
            }
            return results.All(r => r.MeetsExpectation);
        }
        foreach (var mismatch in results.Where(r => !r.Agrees))
        {
            output.WriteLine($"  MISMATCH {Shown.Sentence(mismatch.Flow.Name)}: verify predicted {(mismatch.Flow.PredictedAllowed ? "it passes" : mismatch.Flow.PredictedRefused ? "it is refused by its destination" : "it is blocked")} ({Shown.Sentence(mismatch.Flow.Prediction)}), the lab saw {Shown.Sentence(mismatch.Outcome.Detail)}: a bug in the verifier or in the lab, please report it");
        }
        return results.All(r => r.Agrees);
    }

    /// <summary>passes, refused (the network let it through, the destination refused it) or blocked (the network stopped it).</summary>
    public static string Predicted(LabFlow flow) => flow.PredictedAllowed ? "passes" : flow.PredictedRefused ? "refused" : "blocked";

    public static string Observed(FlowOutcome outcome) => outcome.Reached ? "passes" : outcome.Refused ? "refused" : "blocked";
}
