using System.Net;
using System.Numerics;
using System.Text;

namespace Sitewire.Config.Topology;

/// <summary>
/// Assigns overlay addresses to nodes that declare none. The rule, so that the result does not
/// depend on the order of the file and rarely on other nodes:
/// a node's preferred host number is FNV-1a-32(UTF-8 name) mod (usable hosts) + 1, counted from
/// the prefix's network address (network and broadcast addresses excluded). Declared addresses
/// are taken first. Auto nodes are then placed in order of (preferred host number, name); a taken
/// slot moves the node to the next free one upward, wrapping. Adding a node changes another node's
/// address only when their preferred slots collide; pin an address in the file to rule that out.
/// The IPv6 overlay address is the IPv6 prefix plus the same host number.
/// </summary>
public static class OverlayAddressAllocator
{
    /// <summary>Returns the address for every name in <paramref name="autoNames"/>, or null when the prefix is full.</summary>
    public static IReadOnlyDictionary<string, IPAddress>? Assign(
        IPNetwork overlay, IEnumerable<IPAddress> declared, IEnumerable<string> autoNames)
    {
        var usable = UsableHosts(overlay);
        var taken = new HashSet<BigInteger>(declared.Where(overlay.Contains).Select(address => HostNumber(overlay, address)));
        var ordered = autoNames
            .Select(name => (Name: name, Preferred: PreferredHost(name, usable)))
            .OrderBy(entry => entry.Preferred)
            .ThenBy(entry => entry.Name, StringComparer.Ordinal)
            .ToList();
        if (ordered.Count + taken.Count > usable)
        {
            return null;
        }
        var result = new Dictionary<string, IPAddress>(StringComparer.Ordinal);
        foreach (var (name, preferred) in ordered)
        {
            var host = preferred;
            while (!taken.Add(host))
            {
                host = host % usable + 1;
            }
            result[name] = AddressAt(overlay, host);
        }
        return result;
    }

    /// <summary>The address <paramref name="hostNumber"/> positions above the prefix's network address.</summary>
    public static IPAddress AddressAt(IPNetwork prefix, BigInteger hostNumber)
    {
        var bytes = prefix.BaseAddress.GetAddressBytes();
        var value = new BigInteger(bytes, isUnsigned: true, isBigEndian: true) + hostNumber;
        var result = new byte[bytes.Length];
        value.TryWriteBytes(result, out var written, isUnsigned: true, isBigEndian: true);
        if (written < result.Length)
        {
            Array.Copy(result, 0, result, result.Length - written, written);
            Array.Clear(result, 0, result.Length - written);
        }
        return new IPAddress(result);
    }

    public static BigInteger HostNumber(IPNetwork prefix, IPAddress address) =>
        new BigInteger(address.GetAddressBytes(), isUnsigned: true, isBigEndian: true)
        - new BigInteger(prefix.BaseAddress.GetAddressBytes(), isUnsigned: true, isBigEndian: true);

    /// <summary>The last usable address of the prefix (below the broadcast address): where the lab and the model put a subnet's LAN router.</summary>
    public static IPAddress LastUsable(IPNetwork prefix) => AddressAt(prefix, UsableHosts(prefix));

    /// <summary>Addresses a node can use in the prefix: all but the network and broadcast addresses.</summary>
    public static BigInteger UsableHosts(IPNetwork prefix)
    {
        var bits = (prefix.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128) - prefix.PrefixLength;
        return bits < 2 ? BigInteger.Zero : (BigInteger.One << bits) - 2;
    }

    private static BigInteger PreferredHost(string name, BigInteger usable)
    {
        uint hash = 2166136261;
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            hash = (hash ^ b) * 16777619;
        }
        return hash % usable + 1;
    }
}
