using System.Text.Json;
using Sitewire.E2E.Infrastructure;
using Sitewire.E2E.Lab;

namespace Sitewire.E2E.Cli;

/// <summary>
/// D16: `--json` always answers in JSON on stdout, also when the verb cannot do its job — the documented
/// {"status", "exit_code", "diagnostics": [{file, line, column, field, message, expected}]} with exit code 2.
/// </summary>
public class JsonFailureCliTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    public static TheoryData<string> UnusableTopologies => new()
    {
        "missing file",
        "yaml syntax error",
        "loader diagnostic",
        "escape-laden name",
        "ten megabyte name",
    };

    [Theory]
    [MemberData(nameof(UnusableTopologies))]
    public void Verify_json_of_an_unusable_topology_is_json_with_exit_2(string input)
    {
        using var temp = new TemporaryDirectory();
        var topology = Write(temp.Path, input);

        var (exitCode, output, error) = CliRun.RunSeparately(Deadline, "verify", topology, "--json");

        Assert.True(exitCode == 2, output + error);
        Assert.DoesNotContain('\u001b', output);
        Assert.True(output.Length < HostileTopology.MaxOutputCharacters, $"{output.Length} characters on stdout");
        var diagnostics = AssertUnusable(output);
        Assert.All(diagnostics, diagnostic => Assert.Equal(topology, diagnostic.GetProperty("file").GetString()));
    }

    [Fact]
    public void Verify_json_places_a_loader_diagnostic_at_its_line_column_and_field()
    {
        using var temp = new TemporaryDirectory();
        var topology = Write(temp.Path, "loader diagnostic");

        var (_, output, _) = CliRun.RunSeparately(Deadline, "verify", topology, "--json");

        var diagnostic = Assert.Single(AssertUnusable(output));
        Assert.Equal((2, 12, "network.overlay"), (diagnostic.GetProperty("line").GetInt32(), diagnostic.GetProperty("column").GetInt32(), diagnostic.GetProperty("field").GetString()));
        Assert.False(string.IsNullOrEmpty(diagnostic.GetProperty("expected").GetString()));
    }

    [Fact]
    public void Trace_json_with_an_unknown_target_names_the_option_in_json_with_exit_2()
    {
        var (exitCode, output, error) = CliRun.RunSeparately(Deadline, "trace", Path.Combine(RepositoryPaths.Examples, "seed.yaml"), "--from", "pad", "--to", "nowhere:80/tcp", "--json");

        Assert.True(exitCode == 2, output + error);
        var diagnostic = Assert.Single(AssertUnusable(output));
        Assert.Equal("--to", diagnostic.GetProperty("field").GetString());
        Assert.Contains("nowhere", diagnostic.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_command_line_that_does_not_parse_is_unusable_input_in_json_with_exit_2()
    {
        var (exitCode, output, error) = CliRun.RunSeparately(Deadline, "trace", Path.Combine(RepositoryPaths.Examples, "seed.yaml"), "--json");

        Assert.True(exitCode == 2, output + error);
        Assert.Contains(AssertUnusable(output), diagnostic => diagnostic.GetProperty("message").GetString()!.Contains("--from", StringComparison.Ordinal));
    }

    [Fact]
    public void A_command_line_that_does_not_parse_exits_2_naming_the_problem()
    {
        var (exitCode, output, error) = CliRun.RunSeparately(Deadline, "verify");

        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.StartsWith("sitewire verify: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Doctor_json_with_a_bad_option_combination_is_json_with_exit_2()
    {
        var (exitCode, output, error) = CliRun.RunSeparately(Deadline, "doctor", "--json", "--topology", Path.Combine(RepositoryPaths.Examples, "seed.yaml"));

        Assert.True(exitCode == 2, output + error);
        Assert.Equal("--topology", Assert.Single(AssertUnusable(output)).GetProperty("field").GetString());
    }

    [Fact]
    public void Lab_check_json_of_a_lab_that_does_not_exist_is_json_with_exit_2()
    {
        var (exitCode, output, error) = CliRun.RunSeparately(Deadline, "lab", "check", "--lab", "no-such-lab", "--json");

        Assert.True(exitCode == 2, output + error);
        Assert.Contains("no-such-lab", Assert.Single(AssertUnusable(output)).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static string Write(string directory, string input) => input switch
    {
        "missing file" => Path.Combine(directory, "absent.yaml"),
        "yaml syntax error" => WriteText(directory, "network: [\n"),
        "loader diagnostic" => WriteText(directory, "network:\n  overlay: 10.0.0.0/33\n  shape: hub\n"),
        "escape-laden name" => HostileTopology.Write(directory, HostileTopology.EscapeLadenName),
        "ten megabyte name" => HostileTopology.Write(directory, HostileTopology.TenMegabyteName),
        _ => throw new ArgumentOutOfRangeException(nameof(input), input, null),
    };

    private static string WriteText(string directory, string text)
    {
        var path = Path.Combine(directory, "bad.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Parses stdout as the failure document and returns its diagnostics, each with a message.</summary>
    private static List<JsonElement> AssertUnusable(string output)
    {
        JsonContract.AssertValid(output, "failure");
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        Assert.Equal("unusable", root.GetProperty("status").GetString());
        Assert.Equal(2, root.GetProperty("exit_code").GetInt32());
        var diagnostics = root.GetProperty("diagnostics").EnumerateArray().Select(d => d.Clone()).ToList();
        Assert.NotEmpty(diagnostics);
        Assert.All(diagnostics, d => Assert.False(string.IsNullOrEmpty(d.GetProperty("message").GetString())));
        return diagnostics;
    }
}
