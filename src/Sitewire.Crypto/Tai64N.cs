using System.Buffers.Binary;

namespace Sitewire.Crypto;

/// <summary>
/// TAI64N timestamps (12 bytes, big endian) as WireGuard's handshake initiation carries them.
/// Nanoseconds are rounded down to a multiple of 2^24 ns, as wireguard-go and the kernel do,
/// so that the timestamp does not leak a precise clock.
/// </summary>
public static class Tai64N
{
    public const int Size = 12;
    private const ulong Base = 0x400000000000000aUL;
    private const int WhiteningMask = 0x1000000 - 1;

    public static void Write(DateTimeOffset time, Span<byte> destination)
    {
        var seconds = Math.DivRem(time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks, TimeSpan.TicksPerSecond, out var ticks);
        var nanos = (int)(ticks * 100) & ~WhiteningMask;
        BinaryPrimitives.WriteUInt64BigEndian(destination, Base + (ulong)seconds);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], (uint)nanos);
    }

    /// <summary>True when <paramref name="candidate"/> is strictly later than <paramref name="latest"/>.</summary>
    public static bool IsAfter(ReadOnlySpan<byte> candidate, ReadOnlySpan<byte> latest) =>
        candidate[..Size].SequenceCompareTo(latest[..Size]) > 0;
}
