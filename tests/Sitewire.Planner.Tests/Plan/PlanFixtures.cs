using System.Security.Cryptography;
using System.Text;
using Sitewire.Config.Topology;
using Sitewire.Crypto;
using Sitewire.Planner.Keys;

namespace Sitewire.Planner.Tests.Plan;

/// <summary>Repository paths, fixed test keys, temporary output directories and directory snapshots for plan tests.</summary>
internal static class PlanFixtures
{
    public static string Root { get; } = FindRoot();

    public static string Example(string name) => Path.Combine(Root, "examples", name);

    /// <summary>A fixed private key per name (SHA-256 of a label): test keys only, never for real use.</summary>
    public static Key TestKey(string name) => new(SHA256.HashData(Encoding.UTF8.GetBytes("sitewire test key: " + name)));

    public static PlanKeys TestKeys(Topology topology)
    {
        var keys = new PlanKeys();
        foreach (var node in topology.Nodes)
        {
            keys.SetPrivate(node.Name, TestKey(node.Name));
        }
        return keys;
    }

    public static Topology Load(string path)
    {
        var result = TopologyLoader.Load(path);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return result.Topology;
    }

    /// <summary>Writes the fixed test keys where plan keeps central keys, so its output is deterministic.</summary>
    public static void SeedKeys(string outputDirectory, Topology topology)
    {
        Directory.CreateDirectory(Path.Combine(outputDirectory, KeyDirectory.FolderName));
        File.WriteAllText(Path.Combine(outputDirectory, ".sitewire-plan"), "");
        foreach (var node in topology.Nodes)
        {
            File.WriteAllText(Path.Combine(outputDirectory, KeyDirectory.PrivateKeyFile(node.Name)), TestKey(node.Name).ToBase64() + "\n");
        }
    }

    /// <summary>Every file below <paramref name="directory"/>: relative path → content.</summary>
    public static SortedDictionary<string, byte[]> Snapshot(string directory) =>
        new(Directory.GetFiles(directory, "*", SearchOption.AllDirectories)
            .ToDictionary(path => Path.GetRelativePath(directory, path), File.ReadAllBytes), StringComparer.Ordinal);

    public static void AssertSameFiles(SortedDictionary<string, byte[]> expected, SortedDictionary<string, byte[]> actual)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (path, content) in expected)
        {
            Assert.True(content.AsSpan().SequenceEqual(actual[path]), $"{path} differs");
        }
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Sitewire.slnx")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("Sitewire.slnx not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A temporary directory removed at dispose; <see cref="Output"/> is a not-yet-existing path inside it.</summary>
internal sealed class TemporaryDirectory : IDisposable
{
    public TemporaryDirectory()
    {
        Path = Directory.CreateTempSubdirectory("sitewire-plan-test-").FullName;
    }

    public string Path { get; }

    public string Output => System.IO.Path.Combine(Path, "out");

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
