using Sitewire.Cli.Display;
using Sitewire.Cli.Outcome;
using Sitewire.Cli.Trace;
using Sitewire.Planner.Verify;

namespace Sitewire.Cli.Verify;

/// <summary>`verify --json`: the verdict, the design findings, every flow there and back, and the flows with each relay down.</summary>
internal sealed record VerifyJson(int Version, bool Passed, IReadOnlyList<FindingJson> Findings, IReadOnlyList<FlowJson> Flows, IReadOnlyList<FailureStateJson> FailureStates)
{
    public static VerifyJson Of(VerifyReport report) => new(
        CliJson.Version,
        report.Passed,
        [.. report.Findings.Select(FindingJson.Of)],
        [.. report.Flows.Select(FlowJson.Of)],
        [.. report.FailureStates.Select(FailureStateJson.Of)]);
}

internal sealed record FindingJson(string Severity, string Code, string? Node, string Field, string? Location, string Message, string Fix)
{
    public static FindingJson Of(Finding finding) => new(
        finding.Severity.ToString().ToLowerInvariant(),
        finding.Code,
        Shown.NameOrNull(finding.Node),
        Shown.Name(finding.Field),
        finding.Location?.ToString(),
        Shown.Sentence(finding.Message),
        Shown.Sentence(finding.Fix));
}

internal sealed record FlowJson(
    string Flow, string From, string To, string Expect, bool Met, bool Passes, string? BrokenDirection, string? BrokenAt,
    string? Problem, string? Fix, PathJson Forward, PathJson Return)
{
    public static FlowJson Of(FlowResult flow) => new(
        Shown.Sentence(flow.Flow.ToString()),
        Shown.Name(flow.Flow.From),
        Shown.Name(flow.Flow.To.ToString()),
        flow.Flow.Expect.ToString().ToLowerInvariant(),
        flow.Met,
        flow.Passes,
        flow.Trace?.BrokenDirection,
        BrokenAtOf(flow),
        Shown.SentenceOrNull(flow.Problem),
        Shown.SentenceOrNull(flow.Fix),
        PathJson.Of(flow.Trace?.Forward, flow.Mtu?.Forward),
        PathJson.Of(flow.Trace?.Return, flow.Mtu?.Return));

    public static string? BrokenAtOf(FlowResult flow) => Shown.NameOrNull(flow.BrokenAt ?? flow.Mtu?.Stalled?.Bottleneck);
}

internal sealed record FailureStateJson(string Down, IReadOnlyList<FailureStateFlowJson> Flows)
{
    public static FailureStateJson Of(FailureState state) => new(
        Shown.Name(state.DownRelay),
        [.. state.Flows.Select(f => new FailureStateFlowJson(Shown.Sentence(f.Flow.ToString()), f.Met, FlowJson.BrokenAtOf(f), Shown.SentenceOrNull(f.Problem)))]);
}

internal sealed record FailureStateFlowJson(string Flow, bool Met, string? BrokenAt, string? Problem);
