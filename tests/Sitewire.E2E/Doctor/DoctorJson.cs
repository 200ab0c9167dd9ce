using System.Text.Json;

namespace Sitewire.E2E.Doctor;

internal sealed record DoctorProblem(string Check, string Message, IReadOnlyList<string> Fixes);

/// <summary>Reads `sitewire doctor --json` output.</summary>
internal static class DoctorJson
{
    public static IReadOnlyList<DoctorProblem> Problems(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.GetProperty("interfaces").EnumerateArray()
            .SelectMany(i => i.GetProperty("findings").EnumerateArray())
            .Where(f => f.GetProperty("status").GetString() == "problem")
            .Select(f => new DoctorProblem(
                f.GetProperty("check").GetString()!,
                f.GetProperty("message").GetString()!,
                [.. f.GetProperty("fixes").EnumerateArray().Select(x => x.GetString()!)]))];
    }
}
