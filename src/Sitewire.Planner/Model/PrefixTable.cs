using System.Runtime.InteropServices;

namespace Sitewire.Planner.Model;

/// <summary>
/// Longest-prefix match over IPv4 and IPv6 prefixes alike (<see cref="Prefix.Bits"/>): one hash table per prefix
/// length, and each family's lengths in use, longest first, so a lookup costs at most one probe per length of its
/// family present (typically two or three) and ::/0 never answers for an IPv4 address. Setting a prefix again replaces its value — the "last one wins" rule WireGuard applies to an
/// AllowedIP claimed by two peers. Entries hold the value alone: the prefix is the key and the table's length.
/// </summary>
public sealed class PrefixTable<T>
{
    private readonly Dictionary<UInt128, T>?[] _byBits = new Dictionary<UInt128, T>?[129];
    private int[] _bitsInUseV4 = [];
    private int[] _bitsInUseV6 = [];

    public int Count { get; private set; }

    public void Set(Prefix prefix, T value)
    {
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(TableFor(prefix), prefix.Network.Value, out var existed);
        if (!existed)
        {
            Count++;
        }
        slot = value;
    }

    /// <summary>Adds the prefix unless it is present (the first route for a prefix stays, as with `ip route add`).</summary>
    public bool TryAdd(Prefix prefix, T value)
    {
        if (!TableFor(prefix).TryAdd(prefix.Network.Value, value))
        {
            return false;
        }
        Count++;
        return true;
    }

    /// <summary>Makes room for prefixes about to be set, so that each length's table is sized once instead of growing step by step.</summary>
    public void Reserve(IEnumerable<Prefix> prefixes)
    {
        Span<int> v4 = stackalloc int[_byBits.Length];
        Span<int> v6 = stackalloc int[_byBits.Length];
        foreach (var prefix in prefixes)
        {
            (prefix.IsV4 ? v4 : v6)[prefix.Bits]++;
        }
        for (var bits = 0; bits < _byBits.Length; bits++)
        {
            if (v4[bits] > 0)
            {
                TableFor(bits, isV4: true);
            }
            if (v6[bits] > 0)
            {
                TableFor(bits, isV4: false);
            }
            if (_byBits[bits] is { } table)
            {
                table.EnsureCapacity(table.Count + v4[bits] + v6[bits]);
            }
        }
    }

    public void Clear()
    {
        Array.Clear(_byBits);
        _bitsInUseV4 = [];
        _bitsInUseV6 = [];
        Count = 0;
    }

    public bool TryGetExact(Prefix prefix, out T value)
    {
        value = default!;
        return _byBits[prefix.Bits] is { } table && table.TryGetValue(prefix.Network.Value, out value!);
    }

    public bool TryMatch(Address address, out Prefix prefix, out T value)
    {
        foreach (var bits in address.IsV4 ? _bitsInUseV4 : _bitsInUseV6)
        {
            var network = address.Value & Prefix.Mask(bits);
            if (_byBits[bits]!.TryGetValue(network, out value!))
            {
                prefix = new Prefix(new Address(network), address.IsV4 ? bits - 96 : bits);
                return true;
            }
        }
        prefix = default;
        value = default!;
        return false;
    }

    private Dictionary<UInt128, T> TableFor(Prefix prefix) => TableFor(prefix.Bits, prefix.IsV4);

    private Dictionary<UInt128, T> TableFor(int bits, bool isV4)
    {
        ref var inUse = ref isV4 ? ref _bitsInUseV4 : ref _bitsInUseV6;
        if (Array.IndexOf(inUse, bits) < 0)
        {
            inUse = [.. inUse.Append(bits).OrderDescending()];
        }
        return _byBits[bits] ??= [];
    }
}
