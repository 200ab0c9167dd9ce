using System.Globalization;

namespace Sitewire.Planner.Model;

/// <summary>An IPv4 prefix (CIDR); <see cref="Network"/> always has the host bits cleared.</summary>
public readonly record struct Prefix
{
    public static readonly Prefix Any = new(0, 0);
    internal static readonly Prefix Private10 = Parse("10.0.0.0/8");
    internal static readonly Prefix Private172 = Parse("172.16.0.0/12");
    internal static readonly Prefix Private192 = Parse("192.168.0.0/16");
    internal static readonly Prefix Shared100 = Parse("100.64.0.0/10");
    internal static readonly Prefix LinkLocal = Parse("169.254.0.0/16");
    internal static readonly Prefix Loopback = Parse("127.0.0.0/8");

    public Prefix(uint address, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, 32);
        Length = length;
        Network = address & Ipv4.Mask(length);
    }

    public uint Network { get; }
    public int Length { get; }

    public static Prefix Host(uint address) => new(address, 32);

    /// <summary>The IPv4 prefix of a <see cref="System.Net.IPNetwork"/>; false for IPv6 (not modelled).</summary>
    public static bool TryFrom(System.Net.IPNetwork network, out Prefix prefix)
    {
        prefix = default;
        if (!Ipv4.TryFrom(network.BaseAddress, out var address))
        {
            return false;
        }
        prefix = new Prefix(address, network.PrefixLength);
        return true;
    }

    public bool Contains(uint address) => (address & Ipv4.Mask(Length)) == Network;

    public bool Contains(Prefix other) => other.Length >= Length && Contains(other.Network);

    public bool Overlaps(Prefix other) => Contains(other) || other.Contains(this);

    public static Prefix Parse(string text) =>
        TryParse(text, out var prefix) ? prefix : throw new FormatException($"'{text}' is not an IPv4 prefix (a.b.c.d/len)");

    /// <summary>Parses "a.b.c.d/len" or a bare address (a /32).</summary>
    public static bool TryParse(string text, out Prefix prefix)
    {
        prefix = default;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        var length = 32;
        if (slash >= 0 && !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out length))
        {
            return false;
        }
        if (length > 32 || !Ipv4.TryParse(addressText.Trim(), out var address))
        {
            return false;
        }
        prefix = new Prefix(address, length);
        return true;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Ipv4.Format(Network)}/{Length}");
}
