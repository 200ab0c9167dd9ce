namespace Sitewire.Planner.Model;

/// <summary>A firewalld zone: its interfaces, the ports it opens for input, whether it forwards between its own interfaces, and its target.</summary>
public sealed class FirewalldZone(string name)
{
    public string Name { get; } = name;
    public HashSet<string> Interfaces { get; } = new(StringComparer.Ordinal);
    public HashSet<(Protocol Protocol, ushort Port)> OpenPorts { get; } = [];

    public FirewalldTarget Target { get; set; }

    /// <summary>
    /// Intra-zone forwarding (`forward: yes`, the default of every shipped zone since firewalld 1.0, so on RHEL 9).
    /// It reaches only interfaces added to the zone: one that falls into the default zone is no forwarding target.
    /// </summary>
    public bool Forward { get; set; } = true;

    /// <summary>Packets leaving by the zone's interfaces get the interface's address as source (`--add-masquerade`).</summary>
    public bool Masquerade { get; set; }

    /// <summary>ICMP types refused on input (`--add-icmp-block`); with <see cref="IcmpBlockInversion"/>, the only ones let in.</summary>
    public HashSet<string> IcmpBlocks { get; } = new(StringComparer.Ordinal);

    public bool IcmpBlockInversion { get; set; }

    /// <summary>Whether the zone refuses an ICMP type on input (firewalld ≥ 0.9 applies a zone's ICMP blocks to the node itself only, not to forwarding).</summary>
    public bool BlocksIcmp(string type) => IcmpBlocks.Contains(type) != IcmpBlockInversion;
}
