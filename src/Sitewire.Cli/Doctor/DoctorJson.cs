using Sitewire.Cli.Display;
using Sitewire.Cli.Outcome;
using Sitewire.Host.Doctor;

namespace Sitewire.Cli.Doctor;

/// <summary>`doctor --json`: whether every interface is healthy, and each interface's findings with their fixes.</summary>
internal sealed record DoctorJson(int Version, bool Healthy, IReadOnlyList<DoctorInterfaceJson> Interfaces)
{
    public static DoctorJson Of(IReadOnlyList<DoctorReport> reports) => new(CliJson.Version, reports.All(r => r.Healthy), [.. reports.Select(DoctorInterfaceJson.Of)]);
}

internal sealed record DoctorInterfaceJson(string Name, bool Healthy, IReadOnlyList<DoctorFindingJson> Findings)
{
    public static DoctorInterfaceJson Of(DoctorReport report) => new(
        Shown.Name(report.Interface),
        report.Healthy,
        [.. report.Findings.Select(f => new DoctorFindingJson(f.Check, f.Status.ToString().ToLowerInvariant(), Shown.Sentence(f.Message), [.. f.Fixes.Select(Shown.Sentence)]))]);
}

internal sealed record DoctorFindingJson(string Check, string Status, string Message, IReadOnlyList<string> Fixes);
