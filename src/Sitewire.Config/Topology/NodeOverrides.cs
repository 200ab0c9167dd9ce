namespace Sitewire.Config.Topology;

/// <summary>
/// What a node's deployed config holds beyond what plan derives from the design, so a plan (and verify, and the lab)
/// reproduce it: its own <see cref="PersistentKeepalive"/> (0: none), AllowedIPs differences per peer, drop rules in its
/// filter, and hook lines kept verbatim (appended to the planned PostUp/PostDown; verify does not model them).
/// </summary>
public sealed record NodeOverrides(
    int? PersistentKeepalive,
    IReadOnlyList<AllowedIpsChange> AllowedIps,
    IReadOnlyList<DropRule> Drops,
    IReadOnlyList<string> PostUp,
    IReadOnlyList<string> PostDown)
{
    public static NodeOverrides None { get; } = new(null, [], [], [], []);
}
