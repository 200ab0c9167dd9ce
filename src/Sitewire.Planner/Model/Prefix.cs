using System.Globalization;
using System.Net;

namespace Sitewire.Planner.Model;

/// <summary>
/// An IPv4 or IPv6 prefix (CIDR). <see cref="Length"/> counts in its own family (0–32 or 0–128);
/// <see cref="Network"/> always has the host bits cleared.
/// </summary>
public readonly record struct Prefix
{
    public static readonly Prefix AnyV4 = new(Address.FromV4(0), 0);
    public static readonly Prefix AnyV6 = new(default, 0);
    internal static readonly Prefix[] PrivateV4 = [.. new[] { "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16", "127.0.0.0/8" }.Select(Parse)];
    internal static readonly Prefix[] PrivateV6 = [.. new[] { "fc00::/7", "fe80::/10", "::1/128" }.Select(Parse)];

    public Prefix(Address address, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, address.IsV4 ? 32 : 128);
        Length = length;
        Network = new Address(address.Value & Mask(address.IsV4 ? length + 96 : length));
    }

    public Address Network { get; }
    public int Length { get; }

    public bool IsV4 => Network.IsV4;

    /// <summary>The length in the 128-bit space both families share (an IPv4 /24 is 120).</summary>
    public int Bits => IsV4 ? Length + 96 : Length;

    public static Prefix Host(Address address) => new(address, address.IsV4 ? 32 : 128);

    /// <summary>The default route of the address's family (0.0.0.0/0 or ::/0).</summary>
    public static Prefix Default(Address address) => address.IsV4 ? AnyV4 : AnyV6;

    public static Prefix From(IPNetwork network) => new(Address.From(network.BaseAddress), network.PrefixLength);

    public IPNetwork ToIPNetwork() => new(Network.ToIPAddress(), Length);

    public bool Contains(Address address) => address.IsV4 == IsV4 && (address.Value & Mask(Bits)) == Network.Value;

    public bool Contains(Prefix other) => other.Bits >= Bits && Contains(other.Network);

    public bool Overlaps(Prefix other) => Contains(other) || other.Contains(this);

    /// <summary><paramref name="address"/>'s host bits in this prefix (1:1 prefix translation).</summary>
    public Address Translate(Address address) => new(Network.Value | (address.Value & ~Mask(Bits)));

    public static Prefix Parse(string text) =>
        TryParse(text, out var prefix) ? prefix : throw new FormatException($"'{text}' is not a prefix (address/length)");

    /// <summary>Parses "address/len" or a bare address (a host prefix).</summary>
    public static bool TryParse(string text, out Prefix prefix)
    {
        prefix = default;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (!Address.TryParse((slash < 0 ? text : text[..slash]).Trim(), out var address))
        {
            return false;
        }
        var length = address.IsV4 ? 32 : 128;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out length) || length > (address.IsV4 ? 32 : 128)))
        {
            return false;
        }
        prefix = new Prefix(address, length);
        return true;
    }

    /// <summary>The first <paramref name="bits"/> of 128 set.</summary>
    internal static UInt128 Mask(int bits) => bits == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - bits);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Network}/{Length}");
}
