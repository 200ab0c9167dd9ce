namespace Sitewire.Planner.Model;

/// <summary>A [Peer] of a WireGuard interface: its key, AllowedIPs, and whether this side knows where to reach it.</summary>
public sealed class WireGuardPeer(string name, string publicKey, IReadOnlyList<Prefix> allowedIps, string? endpoint, int persistentKeepalive)
{
    /// <summary>Up to this many AllowedIPs are scanned; more get a prefix table, built on first use.</summary>
    private const int ScanLimit = 16;
    private PrefixTable<bool>? _allowed;

    /// <summary>The peer's node name when known, for messages.</summary>
    public string Name { get; } = name;
    public string PublicKey { get; } = publicKey;
    public IReadOnlyList<Prefix> AllowedIps { get; } = allowedIps;
    public string? Endpoint { get; } = endpoint;
    public int PersistentKeepalive { get; } = persistentKeepalive;

    /// <summary>Inbound cryptokey check: may this peer send packets with this inner source address?</summary>
    public bool Allows(Address source)
    {
        if (AllowedIps.Count <= ScanLimit)
        {
            foreach (var prefix in AllowedIps)
            {
                if (prefix.Contains(source))
                {
                    return true;
                }
            }
            return false;
        }
        _allowed ??= BuildAllowed(AllowedIps);
        return _allowed.TryMatch(source, out _, out _);
    }

    public string AllowedIpsText => AllowedIps.Count == 0 ? "(none)" : string.Join(", ", AllowedIps);

    private static PrefixTable<bool> BuildAllowed(IReadOnlyList<Prefix> allowedIps)
    {
        var table = new PrefixTable<bool>();
        foreach (var prefix in allowedIps)
        {
            table.Set(prefix, true);
        }
        return table;
    }
}
