using System.Text.Json;
using Sitewire.E2E.Infrastructure;
using Sitewire.Host.Lab;

namespace Sitewire.E2E.Doctor;

internal sealed record DoctorFindingJson(string Check, string Status, string Message, IReadOnlyList<string> Fixes);

/// <summary>Runs `sitewire doctor --json` inside a lab node and reads its findings.</summary>
internal static class DoctorJson
{
    /// <summary>Every finding; asserts the exit code says what the findings say (0 healthy, 1 problems).</summary>
    public static IReadOnlyList<DoctorFindingJson> Findings(LabState state, string node, string iface, params string[] options)
    {
        var result = LabExec.Run(state, node, [RepositoryPaths.Sitewire, "doctor", "--json", .. options, iface], TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode is 0 or 1, $"doctor exited {result.ExitCode}: {result.StandardError}");
        var findings = Parse(result.StandardOutput);
        Assert.Equal(findings.Any(f => f.Status == "problem") ? 1 : 0, result.ExitCode);
        return findings;
    }

    public static IReadOnlyList<DoctorFindingJson> Problems(LabState state, string node, string iface, params string[] options) =>
        [.. Findings(state, node, iface, options).Where(f => f.Status == "problem")];

    /// <summary>The problems in `sitewire doctor --json` output.</summary>
    public static IReadOnlyList<DoctorFindingJson> Problems(string json) => [.. Parse(json).Where(f => f.Status == "problem")];

    /// <summary>The findings of a `doctor --json` document, which must match the published schema (schemas/cli.schema.json).</summary>
    public static IReadOnlyList<DoctorFindingJson> Parse(string json)
    {
        JsonContract.AssertValid(json, "doctor");
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.GetProperty("interfaces").EnumerateArray()
            .SelectMany(i => i.GetProperty("findings").EnumerateArray())
            .Select(f => new DoctorFindingJson(
                f.GetProperty("check").GetString()!,
                f.GetProperty("status").GetString()!,
                f.GetProperty("message").GetString()!,
                [.. f.GetProperty("fixes").EnumerateArray().Select(x => x.GetString()!)]))];
    }
}
