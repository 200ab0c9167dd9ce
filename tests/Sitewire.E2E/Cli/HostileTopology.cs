using Sitewire.E2E.Infrastructure;

namespace Sitewire.E2E.Cli;

/// <summary>The seed topology with a hostile value in place of a LAN host's name, written to a file of its own.</summary>
internal static class HostileTopology
{
    /// <summary>Clears the screen, homes the cursor and prints a fake green verdict — what a raw echo would do to a terminal.</summary>
    public const string EscapeLadenName = "pad\\e[2J\\e[H\\e[32mverify: passed\\e[0m\\n";

    /// <summary>Within the loader's 1024-character value limit, far beyond what a diagnostic echoes.</summary>
    public static readonly string LongName = new('x', 1000);

    /// <summary>Makes the file 10 MB: refused for its size before it is parsed.</summary>
    public static readonly string TenMegabyteName = new('x', 10 * 1024 * 1024);

    /// <summary>The most a verb may print about such a topology: generous for a handful of diagnostics, far below an echoed 10 MB value.</summary>
    public const int MaxOutputCharacters = 16 * 1024;

    /// <summary>Writes the seed with hosts[0].name (a YAML double-quoted scalar) set to <paramref name="name"/>.</summary>
    public static string Write(string directory, string name)
    {
        var seed = File.ReadAllText(Path.Combine(RepositoryPaths.Examples, "seed.yaml"));
        var text = seed.Replace("  - name: pad ", $"  - name: \"{name}\" ", StringComparison.Ordinal);
        Assert.NotEqual(seed, text);
        var path = Path.Combine(directory, "hostile.yaml");
        File.WriteAllText(path, text);
        return path;
    }
}
