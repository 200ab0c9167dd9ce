using Sitewire.Cli.Completion;

namespace Sitewire.Cli.Tests.Completion;

/// <summary>What a TAB offers, from the real `sitewire` parser: the words that can go where the cursor is, and only those, sorted.</summary>
public class SuggestActionTests
{
    private static IReadOnlyList<string> Suggest(string commandLine) =>
        SuggestAction.Suggestions(SitewireCommandLine.Create(), commandLine, commandLine.Length);

    [Fact]
    public void Verbs_are_offered_after_the_program_name()
    {
        var suggestions = Suggest("sitewire ");

        Assert.Superset(new HashSet<string> { "plan", "verify", "trace", "lab", "doctor", "import", "genkey", "pubkey", "genpsk", "completion", "--help", "--version" }, suggestions.ToHashSet());
    }

    [Fact]
    public void Only_words_that_begin_with_what_is_typed_are_offered()
    {
        Assert.Equal(["trace"], Suggest("sitewire t"));
        Assert.Equal(["--from", "--to"], Suggest("sitewire trace t.yaml --").Where(s => s is "--from" or "--to"));
        Assert.DoesNotContain("--json", Suggest("sitewire trace t.yaml --f"));
    }

    [Fact]
    public void Options_are_offered_in_their_unix_forms_only()
    {
        var suggestions = Suggest("sitewire verify ");

        Assert.Contains("--help", suggestions);
        Assert.Contains("-h", suggestions);
        Assert.DoesNotContain("-?", suggestions);
        Assert.DoesNotContain("/?", suggestions);
        Assert.DoesNotContain("/h", suggestions);
    }

    [Fact]
    public void Subcommands_of_lab_and_the_shells_of_completion_are_offered()
    {
        Assert.Equal(["down", "exec"], Suggest("sitewire lab ").Where(s => s is "down" or "exec"));
        Assert.Equal(["bash", "zsh"], Suggest("sitewire completion ").Where(s => !s.StartsWith('-')));
        Assert.Equal(["kernel", "sitewired", "wireguard-go"], Suggest("sitewire lab --engine "));
    }

    [Fact]
    public void Trace_from_and_to_offer_the_hosts_and_nodes_of_the_topology_on_the_command_line()
    {
        using var directory = new CompletionDirectory();
        var topology = directory.Write("site.yaml", CompletionDirectory.Topology);

        Assert.Equal(["home", "office", "pad", "relay", "web"], Suggest($"sitewire trace {topology} --from "));
        Assert.Equal(["office"], Suggest($"sitewire trace {topology} --from pad --to o"));
    }

    [Fact]
    public void Doctor_node_offers_the_nodes_of_its_topology_option()
    {
        using var directory = new CompletionDirectory();
        var topology = directory.Write("site.yaml", CompletionDirectory.Topology);

        Assert.Equal(["home", "office", "relay"], Suggest($"sitewire doctor --topology {topology} --node "));
    }

    [Fact]
    public void Names_are_completed_at_the_cursor_with_the_topology_after_it()
    {
        using var directory = new CompletionDirectory();
        var topology = directory.Write("site.yaml", CompletionDirectory.Topology);
        var line = $"sitewire doctor --node h --topology {topology}";

        Assert.Equal(["home"], SuggestAction.Suggestions(SitewireCommandLine.Create(), line, "sitewire doctor --node h".Length));
    }

    [Fact]
    public void A_topology_that_does_not_load_offers_no_names_and_no_error()
    {
        using var directory = new CompletionDirectory();
        var broken = directory.Write("broken.yaml", "network: [\n");

        Assert.Empty(Suggest($"sitewire trace {broken} --from "));
        Assert.Empty(Suggest($"sitewire trace {Path.Combine(directory.Path, "missing.yaml")} --from "));
    }
}
