using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Sitewire.Planner.Model;

/// <summary>
/// An IPv4 or IPv6 address as one 128-bit integer, IPv4 in its IPv4-mapped form (::ffff:a.b.c.d): the packet path
/// compares and masks integers for both families alike, and an IPv4 prefix never covers an IPv6 address.
/// <c>default</c> (::) stands for "not chosen yet" on a packet's source.
/// </summary>
public readonly record struct Address(UInt128 Value)
{
    private static readonly UInt128 MappedTag = (UInt128)0xffff << 32;

    public bool IsV4 => Value >> 32 == 0xffff;

    public string Family => IsV4 ? "IPv4" : "IPv6";

    public static Address FromV4(uint address) => new(MappedTag | address);

    public static Address Parse(string text) =>
        TryParse(text, out var address) ? address : throw new FormatException($"'{text}' is not an IP address");

    public static bool TryParse(string text, out Address address)
    {
        address = default;
        if (!IPAddress.TryParse(text, out var parsed) || (parsed.AddressFamily == AddressFamily.InterNetwork && text.Count(c => c == '.') != 3))
        {
            return false;
        }
        address = From(parsed);
        return true;
    }

    /// <summary>The address of an <see cref="IPAddress"/>; an IPv4-mapped IPv6 address is IPv4.</summary>
    public static Address From(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return written == 4
            ? FromV4(BinaryPrimitives.ReadUInt32BigEndian(bytes))
            : new Address(BinaryPrimitives.ReadUInt128BigEndian(bytes));
    }

    public IPAddress ToIPAddress()
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, Value);
        return IsV4 ? new IPAddress(bytes[12..]) : new IPAddress(bytes);
    }

    /// <summary>Never routed on the internet: RFC 1918, shared (RFC 6598), loopback and link-local space; IPv6 unique-local, link-local and loopback.</summary>
    public bool IsPrivate
    {
        get
        {
            foreach (var prefix in IsV4 ? Prefix.PrivateV4 : Prefix.PrivateV6)
            {
                if (prefix.Contains(this))
                {
                    return true;
                }
            }
            return false;
        }
    }

    public static Address operator +(Address address, UInt128 offset) => new(address.Value + offset);

    public override string ToString() => IsV4
        ? string.Create(CultureInfo.InvariantCulture, $"{(byte)(Value >> 24)}.{(byte)(Value >> 16)}.{(byte)(Value >> 8)}.{(byte)Value}")
        : ToIPAddress().ToString();
}
