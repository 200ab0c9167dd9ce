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
}

/// <summary>What one command of a hook line does, as far as the topology can say it.</summary>
public sealed record HookMeaning(HookMeaningKind Kind, string? Interface = null, DropRule? Drop = null)
{
    public static HookMeaning Unknown { get; } = new(HookMeaningKind.Unknown);

    public static HookMeaning Planned { get; } = new(HookMeaningKind.Planned);
}
