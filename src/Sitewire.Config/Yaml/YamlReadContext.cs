using Sitewire.Config.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Sitewire.Config.Yaml;

/// <summary>Collects diagnostics while reading a YAML representation tree; every node maps to file:line:col.</summary>
internal sealed class YamlReadContext(string file)
{
    private readonly List<Diagnostic> _diagnostics = [];

    public string File { get; } = file;

    public IReadOnlyList<Diagnostic> Diagnostics => _diagnostics;

    public bool HasErrors => _diagnostics.Count > 0;

    public SourceLocation LocationOf(YamlNode node) => new(File, (int)node.Start.Line, (int)node.Start.Column);

    public void Error(YamlNode node, string field, string message, string? expected = null) =>
        _diagnostics.Add(new Diagnostic(LocationOf(node), field, message, expected));

    public void Error(SourceLocation location, string field, string message, string? expected = null) =>
        _diagnostics.Add(new Diagnostic(location, field, message, expected));
}
