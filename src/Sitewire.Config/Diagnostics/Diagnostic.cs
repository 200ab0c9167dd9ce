using Sitewire.Text;

namespace Sitewire.Config.Diagnostics;

/// <summary>
/// One reason an input is unusable: where (file:line:col), which field (a path such as
/// <c>nodes[2].lan.subnets[0]</c>), what is wrong and what was expected.
/// </summary>
public sealed record Diagnostic(SourceLocation Location, string Field, string Message, string? Expected = null)
{
    /// <summary>
    /// The longest message (or expectation) shown. Messages echo the values they are about; a value that long is
    /// cut there, with the number of characters left out.
    /// </summary>
    public const int MessageMaxLength = 1000;

    /// <summary>
    /// This diagnostic as it may be shown on a terminal, in a log or in JSON: field, message and expectation through
    /// <see cref="DisplayText.Escape"/> (the location shows itself safely), so no control character of the input reaches
    /// the output and no part is longer than its cap. Call it once, on the raw diagnostic.
    /// </summary>
    public Diagnostic ForDisplay() => this with
    {
        Field = DisplayText.Escape(Field),
        Message = DisplayText.Escape(Message, MessageMaxLength),
        Expected = Expected is null ? null : DisplayText.Escape(Expected, MessageMaxLength),
    };

    /// <summary>The compiler-style line, display-safe: <c>file:line:col: error: field: message (expected ...)</c>.</summary>
    public override string ToString()
    {
        var shown = ForDisplay();
        return shown.Expected is null
            ? $"{shown.Location}: error: {shown.Field}: {shown.Message}"
            : $"{shown.Location}: error: {shown.Field}: {shown.Message} (expected {shown.Expected})";
    }
}
