using System.Text.Json;

namespace Sitewire.Cli.Outcome;

/// <summary>
/// What `--json` prints on stdout when a verb fails (docs/cli.md): <c>{"status", "exit_code", "diagnostics": [{"file",
/// "line", "column", "field", "message", "expected"}]}</c>. Every text is display-safe and capped, as on a terminal.
/// </summary>
internal sealed record FailureJson(int Version, string Status, int ExitCode, IReadOnlyList<DiagnosticJson> Diagnostics)
{
    public static FailureJson From(Failure failure) => new(
        CliJson.Version,
        failure.Status,
        failure.ExitCode,
        [.. failure.Diagnostics.Select(DiagnosticJson.From), .. failure.Messages.Select(DiagnosticJson.From)]);

    public string Serialize() => JsonSerializer.Serialize(this, CliJson.Documents.FailureJson);
}
