using Sitewire.Config.Topology;
using Sitewire.Planner.Plan;
using Sitewire.Planner.Verify;

namespace Sitewire.Planner.Tests.Verify;

/// <summary>Loads example files and inline YAML, and plans them in memory as `sitewire verify` does.</summary>
internal static class TopologyFixtures
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Example(string name) => Path.Combine(RepositoryRoot, "examples", name);

    public static NetworkPlan PlanFile(string path) => Plan(Load(TopologyLoader.Load(path)));

    public static NetworkPlan PlanText(string yaml) => Plan(Load(TopologyLoader.LoadText(yaml, "test.yaml")));

    public static VerifyReport VerifyText(string yaml) => Verifier.Verify(PlanText(yaml));

    public static NetworkPlan Plan(Topology topology) => InMemoryPlan.Of(topology);

    private static Topology Load(TopologyLoadResult result) =>
        result.Succeeded ? result.Topology : throw new InvalidOperationException(string.Join(Environment.NewLine, result.Diagnostics));

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
