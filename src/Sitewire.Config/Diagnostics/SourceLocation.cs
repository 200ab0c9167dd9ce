using Sitewire.Text;

namespace Sitewire.Config.Diagnostics;

/// <summary>A position in an input file, 1-based line and column as editors show them.</summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    /// <summary>The longest file name shown (Linux's PATH_MAX: a longer one cannot have been opened).</summary>
    public const int FileMaxLength = 4096;

    public static SourceLocation None(string file) => new(file, 0, 0);

    /// <summary>The file name as it may be shown: through <see cref="DisplayText.Escape"/>.</summary>
    public string DisplayFile => DisplayText.Escape(File, FileMaxLength);

    /// <summary>Display-safe <c>file:line:col</c>, or <c>file</c> for a failure with no position in it (<see cref="None"/>).</summary>
    public override string ToString() => Line > 0 ? $"{DisplayFile}:{Line}:{Column}" : DisplayFile;
}
