namespace Sitewire.Host.Doctor;

public enum CheckStatus
{
    Ok,
    Warning,
    Problem,
}

/// <summary>One check's verdict: what was checked (e.g. "masquerade", "handshake office"), what was found, and the exact commands that fix it.</summary>
public sealed record DoctorFinding(string Check, CheckStatus Status, string Message, IReadOnlyList<string> Fixes)
{
    public static DoctorFinding Ok(string check, string message) => new(check, CheckStatus.Ok, message, []);

    public static DoctorFinding Warning(string check, string message, params string[] fixes) => new(check, CheckStatus.Warning, message, fixes);

    public static DoctorFinding Problem(string check, string message, params string[] fixes) => new(check, CheckStatus.Problem, message, fixes);
}

/// <summary>All findings for one WireGuard interface; healthy when none is a problem.</summary>
public sealed record DoctorReport(string Interface, IReadOnlyList<DoctorFinding> Findings)
{
    public bool Healthy => Findings.All(f => f.Status != CheckStatus.Problem);
}
