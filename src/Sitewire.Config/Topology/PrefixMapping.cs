using System.Net;

namespace Sitewire.Config.Topology;

/// <summary>1:1 prefix translation, as iptables NETMAP and nftables prefix NAT do: the prefix's bits, the address's host bits.</summary>
public static class PrefixMapping
{
    public static IPAddress Translate(IPAddress address, IPNetwork into)
    {
        var bytes = address.GetAddressBytes();
        var prefix = into.BaseAddress.GetAddressBytes();
        if (bytes.Length != prefix.Length)
        {
            throw new ArgumentException($"{address} and {into} are of different families", nameof(address));
        }
        for (var index = 0; index < bytes.Length; index++)
        {
            var prefixBits = Math.Clamp(into.PrefixLength - index * 8, 0, 8);
            var mask = (byte)(0xff << (8 - prefixBits));
            bytes[index] = (byte)((prefix[index] & mask) | (bytes[index] & ~mask));
        }
        return new IPAddress(bytes);
    }
}
