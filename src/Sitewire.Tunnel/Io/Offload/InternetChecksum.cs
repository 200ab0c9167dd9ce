using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sitewire.Tunnel.Io.Offload;

/// <summary>
/// The Internet checksum (RFC 1071): a ones'-complement sum of 16-bit big-endian words. <see cref="Add"/> accumulates
/// spans into an unfolded 32-bit partial sum (every span but the last of even length), <see cref="Fold"/> folds it to
/// 16 bits, <see cref="Finish"/> folds and complements it into the value a header carries.
/// </summary>
internal static class InternetChecksum
{
    public const byte ProtocolTcp = 6;
    public const byte ProtocolUdp = 17;

    /// <summary>Adds <paramref name="data"/> to <paramref name="sum"/>, eight bytes at a time.</summary>
    public static uint Add(ReadOnlySpan<byte> data, uint sum = 0)
    {
        // A ones'-complement sum is independent of byte order up to a final swap (RFC 1071 2.B): sum native 32-bit
        // words into 64-bit lanes (no carry can be lost below 2^32 words), then fold.
        ulong accumulator = 0;
        var words = MemoryMarshal.Cast<byte, uint>(data);
        var i32 = 0;
        if (Vector256.IsHardwareAccelerated && words.Length >= 16)
        {
            var lanes = Vector256<ulong>.Zero;
            for (; i32 + 8 <= words.Length; i32 += 8)
            {
                var (lower, upper) = Vector256.Widen(Vector256.Create(words.Slice(i32, 8)));
                lanes += lower + upper;
            }
            accumulator = Vector256.Sum(lanes);
        }
        else if (Vector128.IsHardwareAccelerated && words.Length >= 8)
        {
            var lanes = Vector128<ulong>.Zero;
            for (; i32 + 4 <= words.Length; i32 += 4)
            {
                var (lower, upper) = Vector128.Widen(Vector128.Create(words.Slice(i32, 4)));
                lanes += lower + upper;
            }
            accumulator = Vector128.Sum(lanes);
        }
        for (; i32 < words.Length; i32++)
        {
            accumulator += words[i32];
        }
        var rest = data[(words.Length * sizeof(uint))..];
        ulong tail = 0;
        var i = 0;
        for (; i + 1 < rest.Length; i += 2)
        {
            tail += MemoryMarshal.Read<ushort>(rest[i..]);
        }
        if (i < rest.Length)
        {
            tail += BitConverter.IsLittleEndian ? rest[i] : (ulong)rest[i] << 8;
        }
        accumulator += tail;
        if (accumulator < tail)
        {
            accumulator++;
        }
        var folded = FoldNative(accumulator);
        var networkOrder = BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(folded) : folded;
        return sum + networkOrder;
    }

    /// <summary>The pseudo-header of TCP or UDP over IPv4 (4-byte addresses) or IPv6 (16-byte addresses).</summary>
    public static uint PseudoHeader(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, byte protocol, int length)
    {
        var sum = Add(source);
        sum = Add(destination, sum);
        return sum + protocol + (uint)(length >> 16) + (uint)(length & 0xFFFF);
    }

    /// <summary>Folds the partial sum to 16 bits (not complemented): what a partial-checksum field holds.</summary>
    public static ushort Fold(uint sum)
    {
        sum = (sum & 0xFFFF) + (sum >> 16);
        sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)sum;
    }

    /// <summary>The checksum a header carries: the folded sum, complemented.</summary>
    public static ushort Finish(uint sum) => (ushort)~Fold(sum);

    private static ushort FoldNative(ulong sum)
    {
        sum = (sum & 0xFFFF_FFFF) + (sum >> 32);
        sum = (sum & 0xFFFF_FFFF) + (sum >> 32);
        sum = (sum & 0xFFFF) + (sum >> 16);
        sum = (sum & 0xFFFF) + (sum >> 16);
        sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)sum;
    }
}
