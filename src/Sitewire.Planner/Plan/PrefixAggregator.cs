using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Sitewire.Planner.Plan;

/// <summary>
/// Merges IPv4 prefixes into the fewest prefixes covering exactly the same addresses: prefixes
/// inside another are dropped, sibling halves (10.0.0.0/24 + 10.0.1.0/24) become their parent
/// (10.0.0.0/23). IPv6 prefixes pass through unchanged. The result is in <see cref="PrefixOrder"/>.
/// </summary>
public static class PrefixAggregator
{
    public static IReadOnlyList<IPNetwork> Merge(IEnumerable<IPNetwork> prefixes)
    {
        var sorted = prefixes.Distinct().Order(PrefixOrder.Instance).ToList();
        var merged = new List<(uint Address, int Length)>();
        var others = new List<IPNetwork>();
        foreach (var prefix in sorted)
        {
            if (prefix.BaseAddress.AddressFamily != AddressFamily.InterNetwork)
            {
                others.Add(prefix);
                continue;
            }
            var address = BinaryPrimitives.ReadUInt32BigEndian(prefix.BaseAddress.GetAddressBytes());
            if (merged.Count > 0 && Contains(merged[^1], address))
            {
                continue;
            }
            merged.Add((address, prefix.PrefixLength));
            while (merged.Count >= 2 && AreSiblings(merged[^2], merged[^1]))
            {
                var parent = (merged[^2].Address, merged[^2].Length - 1);
                merged.RemoveRange(merged.Count - 2, 2);
                merged.Add(parent);
            }
        }
        return [.. merged.Select(entry => new IPNetwork(ToAddress(entry.Address), entry.Length)), .. others];
    }

    private static bool Contains((uint Address, int Length) prefix, uint address) =>
        prefix.Length == 0 || (address >> (32 - prefix.Length)) == (prefix.Address >> (32 - prefix.Length));

    private static bool AreSiblings((uint Address, int Length) first, (uint Address, int Length) second)
    {
        if (first.Length != second.Length || first.Length == 0)
        {
            return false;
        }
        var size = 1u << (32 - first.Length);
        return (first.Address & size) == 0 && first.Address + size == second.Address;
    }

    private static IPAddress ToAddress(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }
}
