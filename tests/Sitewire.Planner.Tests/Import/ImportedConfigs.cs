using System.Text.RegularExpressions;
using Sitewire.Config.Topology;
using Sitewire.Config.WgQuick;
using Sitewire.Planner.Import;
using Sitewire.Planner.Plan;
using Sitewire.Planner.Tests.Plan;

namespace Sitewire.Planner.Tests.Import;

/// <summary>The wg-quick sets under Import/Configs (one directory per node, wg0.conf each), imported, filled in and planned.</summary>
internal static partial class ImportedConfigs
{
    [GeneratedRegex(@"# address: TODO +# optional: .*? e\.g\. (\S+): .*")]
    private static partial Regex LanAddressHint();

    [GeneratedRegex(@"os: TODO .*")]
    private static partial Regex OsTodo();

    public static string Directory(string set) => Path.Combine(PlanFixtures.Root, "tests", "Sitewire.Planner.Tests", "Import", "Configs", set);

    public static List<(string Path, WgQuickConfig Config)> Load(string set) =>
        [.. System.IO.Directory.GetDirectories(Directory(set)).Order(StringComparer.Ordinal).Select(node => Parse(Path.Combine(node, "wg0.conf")))];

    public static (string Path, WgQuickConfig Config) Parse(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>The wg-quick files a plan writes, as `import` reads them from /plan/NODE/wg0.conf.</summary>
    public static List<(string Path, WgQuickConfig Config)> Written(NetworkPlan plan) =>
        [.. plan.Nodes.Select(node => Parse(WgQuickWriter.Write(node.Config), $"/plan/{node.Name}/wg0.conf"))];

    public static (string Path, WgQuickConfig Config) Parse(string text, string path)
    {
        var parsed = WgQuickParser.Parse(text, path);
        Assert.True(parsed.Succeeded, string.Join("\n", parsed.Diagnostics));
        return (path, parsed.Config);
    }

    /// <summary>The imported YAML with every node on <paramref name="os"/>, each suggested LAN address taken, and the given hosts and flows.</summary>
    public static Topology Fill(string yaml, string hosts = " []", string flows = " []", string os = "ubuntu")
    {
        var filled = LanAddressHint().Replace(OsTodo().Replace(yaml, $"os: {os}"), "address: $1")
            .Replace("hosts: []", "hosts:" + hosts, StringComparison.Ordinal)
            .Replace("flows: []", "flows:" + flows, StringComparison.Ordinal);
        var loaded = TopologyLoader.LoadText(filled, "imported.yaml");
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics) + "\n" + filled);
        return loaded.Topology;
    }

    /// <summary>The configs plan writes for the topology (central test keys), as import reads them back from DIR/NODE/wg0.conf.</summary>
    public static List<(string Path, WgQuickConfig Config)> Planned(Topology topology, PlanKeysSource keys = PlanKeysSource.TestKeys)
    {
        var planKeys = keys == PlanKeysSource.TestKeys ? PlanFixtures.TestKeys(topology) : Sitewire.Planner.Verify.VerifyKeys.For(topology);
        return [.. NetworkPlanner.Plan(topology, new PlanOptions(), planKeys).Nodes
            .Select(node => Parse(WgQuickWriter.Write(node.Config), $"/planned/{node.Name}/wg0.conf"))];
    }

    /// <summary>The YAML without its first line (which names the files read).</summary>
    public static string WithoutSources(ImportedTopology imported) => ImportYamlWriter.Write(imported).Split('\n', 2)[1];
}

internal enum PlanKeysSource
{
    TestKeys,
    DeclaredPublicKeys,
}
