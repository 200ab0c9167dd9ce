namespace Sitewire.Crypto;

/// <summary>HMAC over BLAKE2s (RFC 2104 construction, 64-byte block), as WireGuard's KDF uses it.</summary>
public static class HmacBlake2s
{
    public const int Size = 32;

    public static void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> output) =>
        Compute(key, data, default, output);

    public static void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> data2, Span<byte> output)
    {
        if (output.Length != Size)
        {
            throw new ArgumentException("HMAC-BLAKE2s output is 32 bytes", nameof(output));
        }
        Span<byte> pad = stackalloc byte[Blake2s.BlockSize];
        pad.Clear();
        if (key.Length > Blake2s.BlockSize)
        {
            Blake2s.Hash(key, pad[..Size]);
        }
        else
        {
            key.CopyTo(pad);
        }
        for (var i = 0; i < pad.Length; i++)
        {
            pad[i] ^= 0x36;
        }
        Span<byte> inner = stackalloc byte[Size];
        var hash = Blake2s.Create();
        hash.Update(pad);
        hash.Update(data);
        hash.Update(data2);
        hash.Final(inner);
        for (var i = 0; i < pad.Length; i++)
        {
            pad[i] ^= 0x36 ^ 0x5c;
        }
        hash = Blake2s.Create();
        hash.Update(pad);
        hash.Update(inner);
        hash.Final(output);
        pad.Clear();
        inner.Clear();
    }
}
