using Sitewire.Config.Topology;
using Sitewire.Planner.Tests.Properties;
using Sitewire.Planner.Tests.Verify;

namespace Sitewire.Config.Tests.Schema;

/// <summary>
/// Topologies the loader accepts, by name: every example, every topology file under tests/, and generated designs
/// (the planner's random generators, the first seeds that load).
/// </summary>
internal static class TopologyCorpus
{
    public static IReadOnlyList<(string Name, string Yaml)> Accepted { get; } = [.. All().Where(entry => TopologyLoader.LoadText(entry.Yaml, entry.Name).Succeeded)];

    private static IEnumerable<(string Name, string Yaml)> All()
    {
        var files = Directory.GetFiles(RepositoryPaths.Examples, "*.yaml")
            .Concat(Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "tests"), "*.yaml", SearchOption.AllDirectories)
                .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal);
        foreach (var path in files)
        {
            yield return (Path.GetRelativePath(RepositoryPaths.Root, path), File.ReadAllText(path));
        }
        for (var seed = 0; seed < 40; seed++)
        {
            yield return ($"RandomLanDesign seed {seed}", new RandomLanDesign(seed).Yaml());
            yield return ($"RandomTopology seed {seed}", new RandomTopology(seed, 1 + seed % 5).Yaml(seed));
        }
        var random = new Random(1);
        for (var index = 0; index < 20; index++)
        {
            var design = new RandomDesign(random.Next(2) == 0, random.Next(1, 10), Bools(random), [.. Enumerable.Range(0, 10).Select(_ => random.Next(3))],
                Bools(random), random.Next(4), random.Next(), random.Next(2) == 0);
            yield return ($"RandomDesign {index}", design.Yaml());
        }
    }

    private static bool[] Bools(Random random) => [.. Enumerable.Range(0, 10).Select(_ => random.Next(2) == 0)];
}
