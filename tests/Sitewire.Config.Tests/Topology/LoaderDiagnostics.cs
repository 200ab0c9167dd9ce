using Sitewire.Config.Topology;

namespace Sitewire.Config.Tests.Topology;

/// <summary>Loads a valid topology with one edit and asserts the single diagnostic it must cause, at its exact position.</summary>
internal static class LoaderDiagnostics
{
    public static void AssertReportedAt(string valid, string find, string replace, int line, int column, string field, string message)
    {
        var text = valid.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(valid, text);

        var result = TopologyLoader.LoadText(text, "t.yaml");

        Assert.False(result.Succeeded);
        var diagnostic = Assert.Single(result.Diagnostics, candidate => candidate.Field == field);
        Assert.Equal(("t.yaml", line, column), (diagnostic.Location.File, diagnostic.Location.Line, diagnostic.Location.Column));
        Assert.Contains(message, diagnostic.Message, StringComparison.Ordinal);
        Assert.NotNull(diagnostic.Expected);
        Assert.StartsWith($"t.yaml:{line}:{column}: error: {field}: ", diagnostic.ToString(), StringComparison.Ordinal);
    }
}
