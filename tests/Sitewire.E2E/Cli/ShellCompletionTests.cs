using Sitewire.E2E.Infrastructure;
using Sitewire.Host.Processes;

namespace Sitewire.E2E.Cli;

/// <summary>
/// The completion scripts `sitewire completion bash|zsh` prints, loaded into a real bash and zsh: the function the
/// script registers is called as the shell calls it on TAB (COMP_LINE, COMP_WORDS, ...) and what it offers is read back.
/// </summary>
public sealed class ShellCompletionTests : IDisposable
{
    /// <summary>Sources the script in WORKDIR, completes LINE with the cursor at its end, prints COMPREPLY one per line.</summary>
    private const string BashTab = """
        set -u
        cd "$WORKDIR"
        source <("$SITEWIRE" completion bash)
        function=$(complete -p sitewire | sed -n 's/.*-F \([^ ]*\) .*/\1/p')
        COMP_LINE=$LINE
        COMP_POINT=${#LINE}
        read -ra COMP_WORDS <<<"$LINE"
        [[ $LINE == *' ' ]] && COMP_WORDS+=("")
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        "$function" sitewire "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
        printf '%s\n' "${COMPREPLY[@]}"
        """;

    /// <summary>Loads the script as `source <(sitewire completion zsh)` would, with compadd recording what it is given.</summary>
    private const string ZshTab = """
        cd "$WORKDIR"
        compdef() { }
        compadd() { shift $(( ${@[(i)--]} )); print -rl -- "$@" }
        source <("$SITEWIRE" completion zsh)
        words=(${(z)LINE})
        [[ $LINE == *' ' ]] && words+=("")
        CURRENT=${#words}
        PREFIX=${words[CURRENT]}
        SUFFIX=""
        _sitewire
        """;

    private readonly TemporaryDirectory _directory = new();

    public ShellCompletionTests() =>
        File.Copy(Path.Combine(RepositoryPaths.Examples, "seed.yaml"), Path.Combine(_directory.Path, "seed.yaml"));

    public void Dispose() => _directory.Dispose();

    private string[] Tab(string shell, string script, string line)
    {
        var result = Shell.Run(shell, ["-c", script], environment: new Dictionary<string, string>
        {
            ["SITEWIRE"] = RepositoryPaths.Sitewire,
            ["WORKDIR"] = _directory.Path,
            ["LINE"] = RepositoryPaths.Sitewire + line["sitewire".Length..],
        });
        Assert.True(result.ExitCode == 0 && result.StandardError.Length == 0, $"{shell} exited {result.ExitCode}: {result.StandardError}");
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private string[] BashCompletes(string line) => Tab("bash", BashTab, line);

    [Fact]
    public void Bash_completes_verbs_from_the_parser()
    {
        Assert.Superset(new HashSet<string> { "plan", "verify", "trace", "lab", "doctor", "completion" }, BashCompletes("sitewire ").ToHashSet());
        Assert.Equal(["trace"], BashCompletes("sitewire tr"));
        Assert.Equal(["exec"], BashCompletes("sitewire lab ex"));
    }

    [Fact]
    public void Bash_completes_options_of_the_verb()
    {
        Assert.Equal(["--from"], BashCompletes("sitewire trace seed.yaml --fr"));
        Assert.DoesNotContain("/?", BashCompletes("sitewire trace seed.yaml "));
    }

    [Fact]
    public void Bash_completes_host_and_node_names_of_the_topology_on_the_command_line()
    {
        Assert.Equal(["desk", "home", "nas", "office", "pad", "relay", "web"], BashCompletes("sitewire trace seed.yaml --from "));
        Assert.Equal(["pad"], BashCompletes("sitewire trace seed.yaml --from p"));
        Assert.Equal(["web"], BashCompletes("sitewire trace seed.yaml --from pad --to w"));
    }

    [Fact]
    public void Bash_completes_node_names_of_the_only_topology_in_the_current_directory()
    {
        Assert.Equal(["home", "office", "relay"], BashCompletes("sitewire doctor --node "));
    }

    [Fact]
    public void Bash_offers_nothing_and_prints_nothing_for_a_topology_that_does_not_load()
    {
        File.WriteAllText(Path.Combine(_directory.Path, "seed.yaml"), "nodes: [\n");

        Assert.Empty(BashCompletes("sitewire doctor --node "));
        Assert.Empty(BashCompletes("sitewire trace seed.yaml --from "));
    }

    [Fact]
    public void Bash_completes_topology_paths_quoted_for_the_shell()
    {
        File.WriteAllText(Path.Combine(_directory.Path, "my site.yaml"), "");
        Directory.CreateDirectory(Path.Combine(_directory.Path, "designs"));

        Assert.Equal([@"my\ site.yaml"], BashCompletes("sitewire verify m"));
        Assert.Equal(["designs/"], BashCompletes("sitewire verify d"));
    }

    [Fact]
    public void The_zsh_script_is_valid_zsh_and_completes_names_of_the_topology()
    {
        var script = Shell.Run(RepositoryPaths.Sitewire, "completion", "zsh").EnsureSuccess().StandardOutput;
        var syntax = Shell.Run("zsh", ["-n"], standardInput: script);
        Assert.True(syntax.ExitCode == 0, syntax.StandardError);

        Assert.Equal(["trace"], Tab("zsh", ZshTab, "sitewire tr"));
        Assert.Equal(["desk", "home", "nas", "office", "pad", "relay", "web"], Tab("zsh", ZshTab, "sitewire trace seed.yaml --from "));
    }
}
