using System.Text.Json;
using System.Text.RegularExpressions;
using Sitewire.E2E.Infrastructure;
using Sitewire.Host.Processes;

namespace Sitewire.E2E.Cli;

/// <summary>`verify --live` and `doctor --snapshot` as users and scripts see them: refusals exit 2 naming the option, --json as for a plan.</summary>
public class VerifyLiveCliTests
{
    private static readonly string Seed = Path.Combine(RepositoryPaths.Examples, "seed.yaml");

    private static readonly string RecordedSeedLab = Path.Combine(RepositoryPaths.Root, "tests", "Sitewire.Host.Tests", "Recorded", "seed-lab");

    private static CommandResult Sitewire(params string[] arguments) => SitewireCli.Run(arguments);

    [Fact]
    public void Verify_live_on_the_recorded_seed_lab_holds_and_says_the_snapshots_are_old()
    {
        using var directory = new TemporaryDirectory();
        foreach (var file in Directory.GetFiles(RecordedSeedLab))
        {
            var taken = Regex.Replace(File.ReadAllText(file), "\"now\": \"[^\"]+\"", "\"now\": \"2026-01-01T00:00:00+00:00\"");
            File.WriteAllText(Path.Combine(directory.Path, Path.GetFileName(file)), taken);
        }

        var result = Sitewire("verify", Seed, "--live", directory.Path, "--json");

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        JsonContract.AssertValid(result.StandardOutput, "verify");
        using var document = JsonDocument.Parse(result.StandardOutput);
        var root = document.RootElement;
        Assert.True(root.GetProperty("passed").GetBoolean());
        Assert.Equal(4, root.GetProperty("flows").GetArrayLength());
        Assert.Equal(["snapshot-stale home", "snapshot-stale office", "snapshot-stale relay"],
            root.GetProperty("findings").EnumerateArray().Select(f => $"{f.GetProperty("code").GetString()} {f.GetProperty("node").GetString()}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_missing_snapshot_directory_is_refused()
    {
        var result = Sitewire("verify", Seed, "--live", "/nonexistent-sitewire-snapshots");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--live /nonexistent-sitewire-snapshots: no such directory", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--snapshot needs --node NODE", "doctor", "--snapshot", "-")]
    [InlineData("--snapshot takes --node only", "doctor", "--snapshot", "-", "--node", "home", "--metrics")]
    public void A_snapshot_without_its_node_or_with_checks_is_refused_before_reading_anything(string message, params string[] arguments)
    {
        var result = Sitewire(arguments);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.StandardError, StringComparison.Ordinal);
        Assert.Empty(result.StandardOutput);
    }
}
