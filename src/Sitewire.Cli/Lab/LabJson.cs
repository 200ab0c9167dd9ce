using System.CommandLine;
using System.Text.Json;
using Sitewire.Cli.Outcome;
using Sitewire.Host.Lab;

namespace Sitewire.Cli.Lab;

/// <summary>`--json` for `lab` and `lab check`: the flow results on stdout (progress and the table go to stderr).</summary>
internal static class LabJson
{
    public static Option<bool> Option { get; } = new("--json") { Description = "Print the flow results as JSON on stdout (progress on stderr)." };

    public static void Write(LabState state, IReadOnlyList<LabFlowResult> results) =>
        Console.WriteLine(JsonSerializer.Serialize(LabRunJson.Of(state, results), CliJson.Documents.LabRunJson));
}
