using Sitewire.Cli.Completion;

namespace Sitewire.Cli.Tests.Completion;

/// <summary>Paths offered for topology files, wg-quick configs and output directories, written as the user typed the word.</summary>
public class PathCompletionTests
{
    [Fact]
    public void Topology_files_and_directories_are_offered_and_other_files_are_not()
    {
        using var directory = new CompletionDirectory();
        directory.Write("site.yaml", "");
        directory.Write("branch.yml", "");
        directory.Write("wg0.conf", "");
        directory.Write("designs/a.yaml", "");
        directory.Write(".hidden.yaml", "");

        Assert.Equal(["branch.yml", "designs/", "site.yaml"], PathCompletion.Complete("", directory.Path, PathCompletion.TopologyExtensions));
        Assert.Equal(["designs/", "wg0.conf"], PathCompletion.Complete("", directory.Path, PathCompletion.WgQuickExtensions));
        Assert.Equal(["designs/"], PathCompletion.Complete("", directory.Path, []));
    }

    [Fact]
    public void A_word_with_a_directory_completes_inside_it_keeping_what_was_typed()
    {
        using var directory = new CompletionDirectory();
        directory.Write("designs/alpha.yaml", "");
        directory.Write("designs/beta.yaml", "");

        Assert.Equal(["designs/alpha.yaml"], PathCompletion.Complete("designs/a", directory.Path, PathCompletion.TopologyExtensions));
        Assert.Equal(["./designs/"], PathCompletion.Complete("./des", directory.Path, PathCompletion.TopologyExtensions));
    }

    [Fact]
    public void Hidden_entries_are_offered_only_when_the_word_starts_with_a_dot()
    {
        using var directory = new CompletionDirectory();
        directory.Write(".hidden.yaml", "");

        Assert.Empty(PathCompletion.Complete("", directory.Path, PathCompletion.TopologyExtensions));
        Assert.Equal([".hidden.yaml"], PathCompletion.Complete(".h", directory.Path, PathCompletion.TopologyExtensions));
    }

    [Fact]
    public void A_directory_that_does_not_exist_offers_nothing()
    {
        using var directory = new CompletionDirectory();

        Assert.Empty(PathCompletion.Complete("nowhere/x", directory.Path, PathCompletion.TopologyExtensions));
    }
}
