using Sitewire.Config.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sitewire.Config.Yaml;

/// <summary>
/// Reads a file's text as one YAML mapping within the bounds of <see cref="Input.InputLimits"/>: the root to read
/// field by field, or the one diagnostic (with file:line:col) that says why there is none.
/// </summary>
internal static class YamlDocument
{
    public static (YamlMap? Root, Diagnostic? Error) Read(string text, string file, string expectedRoot)
    {
        if (YamlCharacters.FirstDisallowed(text, file) is { } disallowed)
        {
            return (null, disallowed);
        }
        var context = new YamlReadContext(file);
        var stream = new YamlStream();
        var parser = new BoundedYamlParser(new Parser(new StringReader(text)), file);
        try
        {
            stream.Load(parser);
        }
        catch (YamlException) when (parser.Violation is { } violation)
        {
            return (null, violation);
        }
        catch (YamlException exception)
        {
            var location = new SourceLocation(file, (int)exception.Start.Line, (int)exception.Start.Column);
            var message = exception.InnerException?.Message ?? exception.Message;
            return (null, new Diagnostic(location, "(yaml)", message, "well-formed YAML"));
        }
        catch (InvalidOperationException)
        {
            return (null, new Diagnostic(LastWellFormedPosition(text, file), "(yaml)", "the YAML cannot be read past this point", "well-formed YAML"));
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            var node = stream.Documents.Count > 0 ? stream.Documents[0].RootNode : null;
            var location = node is null ? new SourceLocation(file, 1, 1) : context.LocationOf(node);
            return (null, new Diagnostic(location, "(root)", "the file is not one YAML mapping", expectedRoot));
        }
        return (new YamlMap(root, "", context), null);
    }

    /// <summary>Where the YAML parser last succeeded, for errors YamlDotNet raises without a position.</summary>
    private static SourceLocation LastWellFormedPosition(string text, string file)
    {
        var parser = new Parser(new StringReader(text));
        var last = new SourceLocation(file, 1, 1);
        try
        {
            while (parser.MoveNext())
            {
                last = new SourceLocation(file, (int)parser.Current!.End.Line, (int)parser.Current.End.Column);
            }
        }
        catch (Exception exception) when (exception is YamlException or InvalidOperationException or ArgumentException)
        {
            return last;
        }
        return last;
    }
}
