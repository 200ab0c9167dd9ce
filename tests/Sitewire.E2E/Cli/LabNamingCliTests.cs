using Sitewire.E2E.Lab;

namespace Sitewire.E2E.Cli;

/// <summary>
/// One way to name a lab (issue 18): `--lab ID` on `lab check`, `lab down`, `lab exec` and `lab snapshot`; the older `lab check ID` and
/// `lab down ID` still work and say they are deprecated; a lab named both ways is refused.
/// </summary>
public class LabNamingCliTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("check")]
    [InlineData("down")]
    [InlineData("exec")]
    [InlineData("snapshot")]
    public void Every_lab_subcommand_names_its_lab_with_the_lab_option(string verb)
    {
        string[] arguments = verb == "exec" ? ["lab", verb, "--lab", "zzzz", "home", "--", "true"] : ["lab", verb, "--lab", "zzzz"];

        var (exitCode, standardOutput, standardError) = CliRun.RunSeparately(Deadline, arguments);

        Assert.True(exitCode == 2, standardOutput + standardError);
        Assert.StartsWith($"sitewire lab {verb}: no lab 'zzzz' (labs: ", standardError, StringComparison.Ordinal);
        Assert.DoesNotContain("deprecated", standardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("check")]
    [InlineData("down")]
    public void The_id_as_an_argument_still_works_and_says_it_is_deprecated(string verb)
    {
        var (exitCode, standardOutput, standardError) = CliRun.RunSeparately(Deadline, "lab", verb, "zzzz");

        Assert.True(exitCode == 2, standardOutput + standardError);
        Assert.StartsWith(
            $"sitewire lab {verb}: the lab id as an argument is deprecated; use --lab zzzz\nsitewire lab {verb}: no lab 'zzzz' (labs: ",
            standardError,
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_lab_named_both_ways_is_refused()
    {
        var (exitCode, standardOutput, standardError) = CliRun.RunSeparately(Deadline, "lab", "down", "yyyy", "--lab", "zzzz");

        Assert.True(exitCode == 2, standardOutput + standardError);
        Assert.Equal("sitewire lab down: --lab: the lab is named twice ('yyyy' and --lab 'zzzz'): name it once, with --lab ID\n", standardError);
    }
}
