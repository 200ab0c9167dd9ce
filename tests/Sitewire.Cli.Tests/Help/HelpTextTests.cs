using System.CommandLine;
using System.Text.RegularExpressions;

namespace Sitewire.Cli.Tests.Help;

/// <summary>
/// `--help` names each argument and option value by what it is, never by what completion would offer: the help once
/// listed every file and directory of the current directory as the values of `plan TOPOLOGY` and `-o`. The tests run in
/// their bin directory, which holds a `runtimes/` directory a path completion would list.
/// </summary>
public partial class HelpTextTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("plan --help")]
    [InlineData("verify --help")]
    [InlineData("trace --help")]
    [InlineData("import --help")]
    [InlineData("doctor --help")]
    [InlineData("lab --help")]
    [InlineData("lab exec --help")]
    [InlineData("lab down --help")]
    [InlineData("lab check --help")]
    [InlineData("lab snapshot --help")]
    public void Help_shows_value_names_and_no_completions_of_the_current_directory(string commandLine)
    {
        Assert.True(Directory.Exists(Path.Combine(Environment.CurrentDirectory, "runtimes")));
        var output = new StringWriter();

        var exit = SitewireCommandLine.Create().Parse(commandLine).Invoke(new InvocationConfiguration { Output = output });

        Assert.Equal(0, exit);
        var help = output.ToString();
        Assert.Contains("Usage:", help, StringComparison.Ordinal);
        Assert.DoesNotContain("runtimes", help, StringComparison.Ordinal);
        Assert.Empty(Placeholder().Matches(help).Where(match => match.Value.Contains('/', StringComparison.Ordinal)).Select(match => match.Value));
    }

    [GeneratedRegex("<[^<>\n]*>")]
    private static partial Regex Placeholder();
}
