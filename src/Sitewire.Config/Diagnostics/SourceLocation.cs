namespace Sitewire.Config.Diagnostics;

/// <summary>A position in an input file, 1-based line and column as editors show them.</summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    public static SourceLocation None(string file) => new(file, 0, 0);

    public override string ToString() => $"{File}:{Line}:{Column}";
}
