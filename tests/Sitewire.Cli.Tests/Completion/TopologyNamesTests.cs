using Sitewire.Cli.Completion;
using Sitewire.Config.Topology;

namespace Sitewire.Cli.Tests.Completion;

/// <summary>Which topology names come from: the one given, else the only topology file in the current directory; nothing when unsure.</summary>
public class TopologyNamesTests
{
    private static IEnumerable<string> Names(Topology? topology) => topology is null ? [] : TopologyNames.HostsAndNodesOf(topology);

    [Fact]
    public void The_only_topology_file_of_the_directory_is_read_when_none_is_given()
    {
        using var directory = new CompletionDirectory();
        directory.Write("site.yaml", CompletionDirectory.Topology);
        directory.Write("notes.txt", "not a topology");

        Assert.Equal(["pad", "web", "relay", "office", "home"], Names(TopologyNames.Of(null, directory.Path)));
    }

    [Fact]
    public void A_given_path_is_read_relative_to_the_directory()
    {
        using var directory = new CompletionDirectory();
        directory.Write("designs/site.yml", CompletionDirectory.Topology);

        Assert.Contains("office", Names(TopologyNames.Of("designs/site.yml", directory.Path)));
    }

    [Fact]
    public void Two_topology_files_in_the_directory_give_no_names()
    {
        using var directory = new CompletionDirectory();
        directory.Write("site.yaml", CompletionDirectory.Topology);
        directory.Write("other.yml", CompletionDirectory.Topology);

        Assert.Null(TopologyNames.Of(null, directory.Path));
    }

    [Theory]
    [InlineData("nodes: [")]
    [InlineData("network:\n  overlay: not-a-prefix\n")]
    [InlineData("")]
    public void A_topology_that_does_not_load_gives_no_names(string text)
    {
        using var directory = new CompletionDirectory();
        directory.Write("site.yaml", text);

        Assert.Null(TopologyNames.Of(null, directory.Path));
    }

    [Fact]
    public void A_file_larger_than_any_topology_is_not_read()
    {
        using var directory = new CompletionDirectory();
        directory.Write("site.yaml", CompletionDirectory.Topology + "\n#" + new string('x', (int)TopologyNames.LargestTopologyBytes));

        Assert.Null(TopologyNames.Of(null, directory.Path));
    }

    [Fact]
    public void No_directory_and_a_directory_named_like_a_topology_give_no_names()
    {
        using var directory = new CompletionDirectory();
        Directory.CreateDirectory(Path.Combine(directory.Path, "site.yaml"));

        Assert.Null(TopologyNames.Of("site.yaml", directory.Path));
        Assert.Null(TopologyNames.Of(null, Path.Combine(directory.Path, "gone")));
    }
}
