namespace Sitewire.Config.Input;

/// <summary>
/// How large a topology or wg-quick file may be, so that no input can make a loader run for long, use much memory
/// or recurse deeply. Each limit is far above what a real network needs (a 200-site hub with a flow between every two of
/// its sites is some 200,000 YAML nodes nested 5 deep; a PostUp line is rarely 500 characters).
/// </summary>
public static class InputLimits
{
    public const int MaxFileBytes = 4 * 1024 * 1024;

    /// <summary>Lists and mappings inside one another.</summary>
    public const int MaxYamlDepth = 64;

    /// <summary>YAML nodes (scalars, lists, mappings), every alias counted as the whole node it stands for, keys too.</summary>
    public const int MaxYamlNodes = 1_000_000;

    public const int MaxYamlScalarLength = 1024;

    public const int MaxWgQuickLineLength = 8192;
}
