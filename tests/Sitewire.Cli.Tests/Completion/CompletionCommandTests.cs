using Sitewire.Cli.Completion;

namespace Sitewire.Cli.Tests.Completion;

/// <summary>`sitewire completion SHELL` prints a script that registers itself for `sitewire` and calls back its [suggest] directive.</summary>
public class CompletionCommandTests
{
    [Fact]
    public void The_bash_script_registers_its_function_for_sitewire()
    {
        var script = CompletionCommand.Script("bash");

        Assert.Contains("complete -F _sitewire sitewire", script);
        Assert.Contains("[suggest:", script);
    }

    [Fact]
    public void The_zsh_script_works_from_fpath_and_when_sourced()
    {
        var script = CompletionCommand.Script("zsh");

        Assert.StartsWith("#compdef sitewire", script);
        Assert.Contains("compdef _sitewire sitewire", script);
    }

    [Fact]
    public void An_unknown_shell_is_refused_by_the_parser()
    {
        var parse = SitewireCommandLine.Create().Parse(["completion", "fish"]);

        Assert.NotEmpty(parse.Errors);
    }
}
