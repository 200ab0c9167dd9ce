using System.Net;

namespace Sitewire.Planner.Plan;

/// <summary>Orders prefixes IPv4 first, then by address bytes, then by length: the stable order rules are rendered in.</summary>
public sealed class PrefixOrder : IComparer<IPNetwork>
{
    public static PrefixOrder Instance { get; } = new();

    public int Compare(IPNetwork x, IPNetwork y)
    {
        var family = ((int)x.BaseAddress.AddressFamily).CompareTo((int)y.BaseAddress.AddressFamily);
        if (family != 0)
        {
            return family;
        }
        Span<byte> left = stackalloc byte[16];
        Span<byte> right = stackalloc byte[16];
        x.BaseAddress.TryWriteBytes(left, out var length);
        y.BaseAddress.TryWriteBytes(right, out _);
        var bytes = left[..length].SequenceCompareTo(right[..length]);
        return bytes != 0 ? bytes : x.PrefixLength.CompareTo(y.PrefixLength);
    }
}
