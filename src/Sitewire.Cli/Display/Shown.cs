using Sitewire.Config.Diagnostics;
using Sitewire.Text;

namespace Sitewire.Cli.Display;

/// <summary>
/// How the printers show text that carries user- or network-supplied values (human and `--json` alike): through
/// <see cref="DisplayText.Escape"/>, a name capped at the default length, a sentence (message, fix, decision) at a
/// diagnostic message's.
/// </summary>
internal static class Shown
{
    public static string Name(string? value) => DisplayText.Escape(value);

    public static string Sentence(string? value) => DisplayText.Escape(value, Diagnostic.MessageMaxLength);

    /// <summary>As <see cref="Name"/>, keeping null as null (for JSON).</summary>
    public static string? NameOrNull(string? value) => value is null ? null : Name(value);

    /// <summary>As <see cref="Sentence"/>, keeping null as null (for JSON).</summary>
    public static string? SentenceOrNull(string? value) => value is null ? null : Sentence(value);
}
