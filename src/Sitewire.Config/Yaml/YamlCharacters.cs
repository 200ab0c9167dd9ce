using Sitewire.Config.Diagnostics;

namespace Sitewire.Config.Yaml;

/// <summary>
/// YamlDotNet reads a NUL character as the end of the stream: the rest of the file would be ignored without a word, or,
/// in the middle of a mapping, its representation model fails with an ArgumentException. YAML allows no NUL in a file,
/// so the loader looks for one first and names its position.
/// </summary>
internal static class YamlCharacters
{
    public static Diagnostic? FirstDisallowed(string text, string file)
    {
        var index = text.IndexOf('\0', StringComparison.Ordinal);
        if (index < 0)
        {
            return null;
        }
        var lineStart = text.LastIndexOf('\n', Math.Max(index - 1, 0)) is var newline && newline >= 0 && newline < index ? newline + 1 : 0;
        var line = 1 + text.AsSpan(0, lineStart).Count('\n');
        return new Diagnostic(new SourceLocation(file, line, index - lineStart + 1), "(yaml)", "a NUL character, which YAML does not allow in a file", "text without NUL characters");
    }
}
