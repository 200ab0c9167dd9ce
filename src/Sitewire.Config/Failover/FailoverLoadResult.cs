using System.Diagnostics.CodeAnalysis;
using Sitewire.Config.Diagnostics;

namespace Sitewire.Config.Failover;

/// <summary>Either usable <see cref="FailoverSettings"/> (no diagnostics) or the diagnostics that make the file unusable.</summary>
public sealed record FailoverLoadResult(FailoverSettings? Settings, IReadOnlyList<Diagnostic> Diagnostics)
{
    [MemberNotNullWhen(true, nameof(Settings))]
    public bool Succeeded => Settings is not null && Diagnostics.Count == 0;
}
