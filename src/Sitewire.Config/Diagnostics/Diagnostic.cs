namespace Sitewire.Config.Diagnostics;

/// <summary>
/// One reason an input is unusable: where (file:line:col), which field (a path such as
/// <c>nodes[2].lan.subnets[0]</c>), what is wrong and what was expected.
/// </summary>
public sealed record Diagnostic(SourceLocation Location, string Field, string Message, string? Expected = null)
{
    /// <summary>The compiler-style line: <c>file:line:col: error: field: message (expected ...)</c>.</summary>
    public override string ToString() =>
        Expected is null
            ? $"{Location}: error: {Field}: {Message}"
            : $"{Location}: error: {Field}: {Message} (expected {Expected})";
}
