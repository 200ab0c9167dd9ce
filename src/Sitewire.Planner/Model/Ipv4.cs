using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Sitewire.Planner.Model;

/// <summary>IPv4 addresses as host-order <see cref="uint"/>: the model's packet path compares and masks integers.</summary>
public static class Ipv4
{
    public static uint Parse(string text) =>
        TryParse(text, out var address) ? address : throw new FormatException($"'{text}' is not an IPv4 address");

    public static bool TryParse(string text, out uint address)
    {
        address = 0;
        if (!IPAddress.TryParse(text, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetwork || text.Count(c => c == '.') != 3)
        {
            return false;
        }
        address = FromIPAddress(parsed);
        return true;
    }

    /// <summary>False for IPv6 addresses (IPv4-mapped ones are unwrapped).</summary>
    public static bool TryFrom(IPAddress address, out uint value)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        value = address.AddressFamily == AddressFamily.InterNetwork ? FromIPAddress(address) : 0;
        return address.AddressFamily == AddressFamily.InterNetwork;
    }

    public static uint FromIPAddress(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        return address.TryWriteBytes(bytes, out var written) && written == 4
            ? BinaryPrimitives.ReadUInt32BigEndian(bytes)
            : throw new ArgumentException($"{address} is not an IPv4 address", nameof(address));
    }

    public static string Format(uint address) => string.Create(CultureInfo.InvariantCulture,
        $"{address >> 24}.{(address >> 16) & 0xff}.{(address >> 8) & 0xff}.{address & 0xff}");

    public static uint Mask(int length) => length == 0 ? 0u : uint.MaxValue << (32 - length);

    /// <summary>RFC 1918, shared (RFC 6598), loopback and link-local space: never routed on the internet.</summary>
    public static bool IsPrivate(uint address) =>
        Prefix.Private10.Contains(address) || Prefix.Private172.Contains(address) || Prefix.Private192.Contains(address)
        || Prefix.Shared100.Contains(address) || Prefix.LinkLocal.Contains(address) || Prefix.Loopback.Contains(address);
}
