using System.Diagnostics.CodeAnalysis;
using Sitewire.Config.Diagnostics;

namespace Sitewire.Config.Topology;

/// <summary>Either a usable <see cref="Topology"/> (no diagnostics) or the diagnostics that make the file unusable.</summary>
public sealed record TopologyLoadResult(Topology? Topology, IReadOnlyList<Diagnostic> Diagnostics)
{
    [MemberNotNullWhen(true, nameof(Topology))]
    public bool Succeeded => Topology is not null && Diagnostics.Count == 0;
}
