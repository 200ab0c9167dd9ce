namespace Sitewire.Planner.Model;

/// <summary>
/// Longest-prefix match over IPv4 and IPv6 prefixes alike (<see cref="Prefix.Bits"/>): one hash table per prefix
/// length and each family's lengths in use, longest first (so ::/0 never answers for an IPv4 address), so a lookup costs at most one probe per length present (typically
/// two or three). Setting a prefix again replaces its value — the "last one wins" rule WireGuard applies to an
/// AllowedIP claimed by two peers.
/// </summary>
public sealed class PrefixTable<T>
{
    private readonly Dictionary<UInt128, (Prefix Prefix, T Value)>?[] _byBits = new Dictionary<UInt128, (Prefix, T)>?[129];
    private int[] _bitsInUseV4 = [];
    private int[] _bitsInUseV6 = [];

    public int Count { get; private set; }

    public void Set(Prefix prefix, T value)
    {
        var table = TableFor(prefix);
        if (!table.ContainsKey(prefix.Network.Value))
        {
            Count++;
        }
        table[prefix.Network.Value] = (prefix, value);
    }

    /// <summary>Adds the prefix unless it is present (the first route for a prefix stays, as with `ip route add`).</summary>
    public bool TryAdd(Prefix prefix, T value)
    {
        if (!TableFor(prefix).TryAdd(prefix.Network.Value, (prefix, value)))
        {
            return false;
        }
        Count++;
        return true;
    }

    public bool TryGetExact(Prefix prefix, out T value)
    {
        value = default!;
        if (_byBits[prefix.Bits] is not { } table || !table.TryGetValue(prefix.Network.Value, out var entry))
        {
            return false;
        }
        value = entry.Value;
        return true;
    }

    public bool TryMatch(Address address, out Prefix prefix, out T value)
    {
        foreach (var bits in address.IsV4 ? _bitsInUseV4 : _bitsInUseV6)
        {
            if (_byBits[bits]!.TryGetValue(address.Value & Prefix.Mask(bits), out var entry))
            {
                prefix = entry.Prefix;
                value = entry.Value;
                return true;
            }
        }
        prefix = default;
        value = default!;
        return false;
    }

    private Dictionary<UInt128, (Prefix Prefix, T Value)> TableFor(Prefix prefix)
    {
        ref var inUse = ref prefix.IsV4 ? ref _bitsInUseV4 : ref _bitsInUseV6;
        if (Array.IndexOf(inUse, prefix.Bits) < 0)
        {
            inUse = [.. inUse.Append(prefix.Bits).OrderDescending()];
        }
        return _byBits[prefix.Bits] ??= [];
    }
}
