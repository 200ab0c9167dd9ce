using Sitewire.E2E.Infrastructure;
using Sitewire.E2E.Lab;

namespace Sitewire.E2E.Cli;

/// <summary>
/// D15/D16: whatever a topology holds, what verify prints is one line per item of printable text, bounded in size —
/// a name full of terminal escapes cannot fake a verdict, a long name does not come back whole, and a 10 MB file is refused
/// for its size in a line.
/// </summary>
public class HostileTextCliTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public void An_escape_laden_name_is_shown_escaped_and_cannot_fake_a_verdict()
    {
        using var temp = new TemporaryDirectory();
        var topology = HostileTopology.Write(temp.Path, HostileTopology.EscapeLadenName);

        var (exitCode, output, error) = CliRun.RunSeparately(Deadline, "verify", topology);

        Assert.Equal(2, exitCode);
        Assert.DoesNotContain('\u001b', output + error);
        Assert.Empty(output);
        Assert.All(error.Split('\n', StringSplitOptions.RemoveEmptyEntries), line =>
            Assert.True(line.StartsWith(topology + ":", StringComparison.Ordinal) || line.StartsWith("sitewire verify: ", StringComparison.Ordinal), line));
        Assert.Contains(@"'pad\x1b[2J\x1b[H\x1b[32mverify: passed\x1b[0m\n' is not a valid name", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_name_is_echoed_capped_with_the_count_left_out()
    {
        using var temp = new TemporaryDirectory();
        var topology = HostileTopology.Write(temp.Path, HostileTopology.LongName);

        var (exitCode, output, error) = CliRun.RunSeparately(Deadline, "verify", topology);

        Assert.Equal(2, exitCode);
        Assert.True(output.Length + error.Length < HostileTopology.MaxOutputCharacters, $"{output.Length + error.Length} characters of output");
        Assert.Contains($"{topology}:48:11: error: hosts[0].name: 'xxx", error, StringComparison.Ordinal);
        Assert.Contains(" more characters)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ten_megabyte_file_is_refused_for_its_size_in_a_line()
    {
        using var temp = new TemporaryDirectory();
        var topology = HostileTopology.Write(temp.Path, HostileTopology.TenMegabyteName);

        var (exitCode, output, error) = CliRun.RunSeparately(Deadline, "verify", topology);

        Assert.Equal(2, exitCode);
        Assert.True(output.Length + error.Length < HostileTopology.MaxOutputCharacters, $"{output.Length + error.Length} characters of output");
        Assert.StartsWith($"{topology}:", error, StringComparison.Ordinal);
    }
}
