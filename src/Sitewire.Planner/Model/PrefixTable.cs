using System.Numerics;

namespace Sitewire.Planner.Model;

/// <summary>
/// Longest-prefix match over IPv4 prefixes: one hash table per prefix length and a bit set of the lengths in use,
/// so a lookup costs at most one probe per length present (typically two or three). Setting a prefix again replaces
/// its value — the "last one wins" rule WireGuard applies to an AllowedIP claimed by two peers.
/// </summary>
public sealed class PrefixTable<T>
{
    private readonly Dictionary<uint, (Prefix Prefix, T Value)>?[] _byLength = new Dictionary<uint, (Prefix, T)>?[33];
    private ulong _lengthsInUse;

    public int Count { get; private set; }

    public void Set(Prefix prefix, T value)
    {
        var table = _byLength[prefix.Length] ??= [];
        if (!table.ContainsKey(prefix.Network))
        {
            Count++;
        }
        table[prefix.Network] = (prefix, value);
        _lengthsInUse |= 1UL << prefix.Length;
    }

    /// <summary>Adds the prefix unless it is present (the first route for a prefix stays, as with `ip route add`).</summary>
    public bool TryAdd(Prefix prefix, T value)
    {
        var table = _byLength[prefix.Length] ??= [];
        if (!table.TryAdd(prefix.Network, (prefix, value)))
        {
            return false;
        }
        Count++;
        _lengthsInUse |= 1UL << prefix.Length;
        return true;
    }

    public bool TryGetExact(Prefix prefix, out T value)
    {
        value = default!;
        if (_byLength[prefix.Length] is not { } table || !table.TryGetValue(prefix.Network, out var entry))
        {
            return false;
        }
        value = entry.Value;
        return true;
    }

    public bool TryMatch(uint address, out Prefix prefix, out T value)
    {
        var lengths = _lengthsInUse;
        while (lengths != 0)
        {
            var length = 63 - BitOperations.LeadingZeroCount(lengths);
            lengths &= ~(1UL << length);
            if (_byLength[length]!.TryGetValue(address & Ipv4.Mask(length), out var entry))
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
}
