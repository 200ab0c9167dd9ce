using Sitewire.Cli.Display;
using Sitewire.Config.Diagnostics;

namespace Sitewire.Cli.Outcome;

/// <summary>One entry of <see cref="FailureJson.Diagnostics"/>; file, line and column are null when the failure has no position.</summary>
internal sealed record DiagnosticJson(string? File, int? Line, int? Column, string? Field, string Message, string? Expected)
{
    public static DiagnosticJson From(Diagnostic diagnostic)
    {
        var shown = diagnostic.ForDisplay();
        var location = shown.Location;
        return new(location.DisplayFile, location.Line > 0 ? location.Line : null, location.Line > 0 ? location.Column : null, shown.Field, shown.Message, shown.Expected);
    }

    public static DiagnosticJson From(FailureMessage message) =>
        new(null, null, null, message.Argument, Shown.Sentence(message.Text), null);
}
