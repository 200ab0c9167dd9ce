using System.Net;
using Sitewire.Config.Topology;

namespace Sitewire.Planner.Import;

public enum HookMeaningKind
{
    /// <summary>Not understood: the part is kept verbatim.</summary>
    Unknown,

    /// <summary>Something plan does itself for the design (forwarding, openings, the key, tables, teardown).</summary>
    Planned,

    /// <summary>Masquerade out of <see cref="HookMeaning.Interface"/> (null: firewalld's zone masquerade, interface not said), or its teardown.</summary>
    Masquerade,

    /// <summary>A rule that drops what it matches (<see cref="HookMeaning.Drop"/>).</summary>
    Drop,

    /// <summary>One direction of a mapped LAN subnet's 1:1 translation at the tunnel (<see cref="HookMeaning.Map"/>), or its teardown.</summary>
    PrefixMap,
}

/// <summary>What one command of a hook line does, as far as the topology can say it. <see cref="Map"/>: the real and the mapped prefix of a <see cref="HookMeaningKind.PrefixMap"/>.</summary>
public sealed record HookMeaning(HookMeaningKind Kind, string? Interface = null, DropRule? Drop = null, (IPNetwork Real, IPNetwork Mapped)? Map = null)
{
    public static HookMeaning Unknown { get; } = new(HookMeaningKind.Unknown);

    public static HookMeaning Planned { get; } = new(HookMeaningKind.Planned);
}
