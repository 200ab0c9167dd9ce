using System.CommandLine;
using Sitewire.Cli.Completion;
using System.Text.Json;
using Sitewire.Cli.Display;
using Sitewire.Cli.Outcome;
using Sitewire.Host.Live;
using Sitewire.Planner.Verify;

namespace Sitewire.Cli.Verify;

/// <summary>
/// `sitewire verify TOPOLOGY`: plans in memory, reports static findings, then every declared flow there and back; with
/// `--live DIR`, on the nodes' snapshots instead of the plan (<see cref="LiveVerifier"/>).
/// </summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var topology = new Argument<string>("topology") { HelpName = "TOPOLOGY.yaml", Description = "The topology YAML file." };
        topology.CompletionSources.Add(PathCompletion.Files(PathCompletion.TopologyExtensions));
        var json = new Option<bool>("--json") { Description = "Machine-readable output." };
        var live = LiveOption.Create("Prove the flows");
        var command = new Command("verify", "Prove every declared flow there and back before deploy, and list design findings (exit 0 all hold, 1 findings or broken flows, 2 unusable input).");
        command.Arguments.Add(topology);
        command.Options.Add(json);
        command.Options.Add(live);
        command.SetAction(parse => Run(parse.GetValue(topology)!, parse.GetValue(json), parse.GetValue(live)));
        return command;
    }

    private static int Run(string path, bool json, string? liveDirectory)
    {
        var report = liveDirectory is null ? Verifier.Verify(InMemoryPlan.Load(path)) : Live(path, liveDirectory);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(VerifyJson.Of(report), CliJson.Documents.VerifyJson));
        }
        else
        {
            Print(report, Console.Out);
        }
        return report.Passed ? ExitCode.Ok : ExitCode.Findings;
    }

    private static VerifyReport Live(string path, string directory) =>
        LiveVerifier.Verify(InMemoryPlan.LoadTopology(path), LiveOption.Existing(directory), DateTimeOffset.UtcNow);

    private static void Print(VerifyReport report, TextWriter output)
    {
        var errors = report.Findings.Count(f => f.Severity == Severity.Error);
        var warnings = report.Findings.Count(f => f.Severity == Severity.Warning);
        output.WriteLine($"findings: {errors} error{Plural(errors)}, {warnings} warning{Plural(warnings)}");
        foreach (var finding in report.Findings)
        {
            output.WriteLine($"  {finding.Location?.ToString() ?? "-"}: {finding.Severity.ToString().ToLowerInvariant()}: {finding.Code} [{Shown.NameOrNull(finding.Node) ?? "-"} {Shown.Name(finding.Field)}]");
            output.WriteLine($"    {Shown.Sentence(finding.Message)}");
            output.WriteLine($"    fix: {Shown.Sentence(finding.Fix)}");
        }
        var met = report.Flows.Count(f => f.Met);
        output.WriteLine(report.Flows.Count == 0
            ? "flows: none declared, so no traffic was proven (add `flows:` to the topology: from a host or node to NAME[:PORT/PROTO])"
            : $"flows: {met} of {report.Flows.Count} as expected");
        var width = report.Flows.Select(f => Shown.Sentence(f.Flow.ToString()).Length).DefaultIfEmpty(0).Max();
        foreach (var flow in report.Flows)
        {
            var verdict = flow.Met ? "ok    " : "BROKEN";
            var outcome = flow.Trace is null ? "not modelled"
                : flow.Mtu?.Stalled is { } stalled ? $"stalls: full-size TCP segments lost at {Shown.Name(stalled.Bottleneck)}"
                : !flow.Passes ? $"stopped at {Shown.Name(flow.BrokenAt)} ({flow.Trace.BrokenDirection})"
                : flow.Met ? "holds both ways" : $"passes, reaching {Shown.Name(flow.ForwardHops[^1].Host)}";
            output.WriteLine($"  {verdict}  {Shown.Sentence(flow.Flow.ToString()).PadRight(width)}  {outcome}");
            if (!flow.Met)
            {
                output.WriteLine($"          {Shown.Sentence(flow.Problem)}");
                output.WriteLine($"          fix: {Shown.Sentence(flow.Fix)}");
            }
        }
        foreach (var state in report.FailureStates)
        {
            output.WriteLine($"with {Shown.Name(state.DownRelay)} down: {state.Flows.Count(f => f.Met)} of {state.Flows.Count} flows as expected");
            foreach (var flow in state.Flows.Where(f => !f.Met))
            {
                output.WriteLine($"  BROKEN  {Shown.Sentence(flow.Flow.ToString())}: {Shown.Sentence(flow.Problem)}");
            }
        }
        var broken = report.Flows.Count - met;
        output.WriteLine(report.Passed
            ? "verify: passed"
            : $"verify: FAILED ({errors} error finding{Plural(errors)}, {broken} flow{Plural(broken)} not as expected)");
    }

    private static string Plural(int count) => count == 1 ? "" : "s";
}
