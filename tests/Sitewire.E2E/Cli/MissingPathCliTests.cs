using Sitewire.E2E.Infrastructure;
using Sitewire.Host.Processes;

namespace Sitewire.E2E.Cli;

/// <summary>Run from outside the repository, a relative topology path that does not exist is named in words, with exit 2 (issue 18).</summary>
public class MissingPathCliTests
{
    [Theory]
    [InlineData("verify")]
    [InlineData("plan")]
    public void A_relative_topology_path_from_another_directory_says_which_directory_is_missing(string verb)
    {
        using var temp = new TemporaryDirectory();
        string[] arguments = verb == "plan" ? ["plan", "examples/seed.yaml", "-o", "out"] : [verb, "examples/seed.yaml"];

        var result = Shell.Run("sh", ["-c", "cd \"$0\" && exec \"$@\"", temp.Path, RepositoryPaths.Sitewire, .. arguments]);
        SitewireCli.Observe(arguments, result.StandardOutput, result.StandardError);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            $"examples/seed.yaml: error: (file): no such file: the directory {temp.Path}/examples does not exist (relative to the current directory {temp.Path}) (expected a readable topology YAML file)\n" +
            $"sitewire {verb}: the input is not usable (1 error)\n",
            result.StandardError);
        Assert.False(Directory.Exists(Path.Combine(temp.Path, "out")));
    }
}
