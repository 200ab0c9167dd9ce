using Sitewire.Config.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Sitewire.Config.Yaml;

/// <summary>
/// Collects diagnostics while reading a YAML representation tree; every node maps to file:line:col. It remembers which
/// fields are at fault (a value in error, or an unknown key that was likely meant as the field), so an error that holds
/// only because such a field was read as absent or defaulted says that it follows from it (<see cref="ErrorFollowing"/>)
/// and is listed right after it (<see cref="InFileOrder"/>).
/// </summary>
internal sealed class YamlReadContext(string file)
{
    private readonly List<(Diagnostic Diagnostic, SourceLocation Anchor)> _diagnostics = [];

    private readonly Dictionary<string, (string Text, SourceLocation Location)> _faults = new(StringComparer.Ordinal);

    public string File { get; } = file;

    public bool HasErrors => _diagnostics.Count > 0;

    /// <summary>The diagnostics by position in the file, each that follows from another right after its cause.</summary>
    public IReadOnlyList<Diagnostic> InFileOrder() =>
    [
        .. _diagnostics
            .OrderBy(entry => entry.Anchor.Line).ThenBy(entry => entry.Anchor.Column)
            .ThenBy(entry => entry.Anchor == entry.Diagnostic.Location ? 0 : 1)
            .ThenBy(entry => entry.Diagnostic.Location.Line).ThenBy(entry => entry.Diagnostic.Location.Column)
            .Select(entry => entry.Diagnostic),
    ];

    public SourceLocation LocationOf(YamlNode node) => new(File, (int)node.Start.Line, (int)node.Start.Column);

    public void Error(YamlNode node, string field, string message, string? expected = null) =>
        Error(LocationOf(node), field, message, expected);

    public void Error(SourceLocation location, string field, string message, string? expected = null) =>
        Add(new Diagnostic(location, field, message, expected), location);

    /// <summary>Records that the unknown key <paramref name="typed"/> was likely meant as the field <paramref name="meant"/> (a path).</summary>
    public void Misspelled(string meant, string typed, YamlNode key)
    {
        var location = LocationOf(key);
        _faults[meant] = ($"the unknown field '{typed}' at {location.Line}:{location.Column}", location);
    }

    /// <summary>
    /// An error that holds only because one of <paramref name="causes"/> (field paths) was absent or defaulted: when one of
    /// them is at fault, the message says "(follows from ...)" it, so a typo reads as one error and what it led to.
    /// </summary>
    public void ErrorFollowing(IReadOnlyList<string> causes, YamlNode node, string field, string message, string? expected = null)
    {
        var location = LocationOf(node);
        var cause = causes.Where(_faults.ContainsKey).Select(c => _faults[c]).FirstOrDefault();
        Add(
            new Diagnostic(location, field, cause.Text is null ? message : $"{message} (follows from {cause.Text})", expected),
            cause.Text is null ? location : cause.Location);
    }

    private void Add(Diagnostic diagnostic, SourceLocation anchor)
    {
        _faults.TryAdd(diagnostic.Field, ($"{diagnostic.Field} at {diagnostic.Location.Line}:{diagnostic.Location.Column}", diagnostic.Location));
        _diagnostics.Add((diagnostic, anchor));
    }
}
