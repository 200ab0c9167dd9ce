using System.Diagnostics.CodeAnalysis;
using Sitewire.Config.Diagnostics;

namespace Sitewire.Config.WgQuick;

/// <summary>Either a parsed configuration (no diagnostics) or why the file is unusable.</summary>
public sealed record WgQuickParseResult(WgQuickConfig? Config, IReadOnlyList<Diagnostic> Diagnostics)
{
    [MemberNotNullWhen(true, nameof(Config))]
    public bool Succeeded => Config is not null && Diagnostics.Count == 0;
}
