namespace Sitewire.E2E.Infrastructure;

/// <summary>Where the built binaries are: artifacts/bin of the repository that holds this test assembly (built by ./sitewire build).</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Sitewire => Path.Combine(Root, "artifacts", "bin", "sitewire");

    public static string Sitewired => Path.Combine(Root, "artifacts", "bin", "sitewired");

    public static string Examples => Path.Combine(Root, "examples");

    /// <summary>A regression topology of the lab tests (tests/Sitewire.E2E/Lab/Topologies/NAME).</summary>
    public static string LabTopology(string name) => Path.Combine(Root, "tests", "Sitewire.E2E", "Lab", "Topologies", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sitewire.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Sitewire.slnx not found above " + AppContext.BaseDirectory);
    }
}
