using System.Text.RegularExpressions;

namespace Sitewire.Config.Yaml;

/// <summary>
/// How YAML 1.2's core schema types a plain (unquoted) scalar, as the loader, the published schema and editors read it:
/// what a writer of topology YAML must quote to keep it text.
/// </summary>
public static partial class YamlCoreSchema
{
    /// <summary>"null", "a boolean" or "a number" for a plain scalar the core schema reads as one; null for text.</summary>
    public static string? TypeOfPlain(string? text) => text switch
    {
        null or "" or "~" or "null" or "Null" or "NULL" => "null",
        "true" or "True" or "TRUE" or "false" or "False" or "FALSE" => "a boolean",
        _ when CoreNumber().IsMatch(text) => "a number",
        _ => null,
    };

    /// <summary>YAML 1.2 core schema integers (decimal, 0o octal, 0x hex) and floats (with .inf and .nan).</summary>
    [GeneratedRegex(@"^([-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex CoreNumber();
}
