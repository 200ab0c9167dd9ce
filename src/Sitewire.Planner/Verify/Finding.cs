using Sitewire.Config.Diagnostics;

namespace Sitewire.Planner.Verify;

/// <summary>A design problem found without simulating traffic: what, where (node, YAML field, file:line:col) and the fix.</summary>
public sealed record Finding(Severity Severity, string Code, string? Node, string Field, SourceLocation? Location, string Message, string Fix)
{
    public override string ToString() =>
        $"{Location?.ToString() ?? "-"}: {Severity.ToString().ToLowerInvariant()}: {Code}: {Field}: {Message} — fix: {Fix}";
}
