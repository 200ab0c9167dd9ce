namespace Sitewire.Crypto;

/// <summary>WireGuard's KDF1/KDF2/KDF3: HKDF (RFC 5869) with HMAC-BLAKE2s, extract then 1..3 expand steps.</summary>
public static class Hkdf
{
    public const int Size = HmacBlake2s.Size;

    public static void Derive(ReadOnlySpan<byte> chainingKey, ReadOnlySpan<byte> input, Span<byte> out1) =>
        Derive(chainingKey, input, out1, default, default);

    public static void Derive(ReadOnlySpan<byte> chainingKey, ReadOnlySpan<byte> input, Span<byte> out1, Span<byte> out2) =>
        Derive(chainingKey, input, out1, out2, default);

    public static void Derive(ReadOnlySpan<byte> chainingKey, ReadOnlySpan<byte> input, Span<byte> out1, Span<byte> out2, Span<byte> out3)
    {
        Span<byte> prk = stackalloc byte[Size];
        Span<byte> t = stackalloc byte[Size];
        ReadOnlySpan<byte> one = [1];
        ReadOnlySpan<byte> two = [2];
        ReadOnlySpan<byte> three = [3];
        HmacBlake2s.Compute(chainingKey, input, prk);
        HmacBlake2s.Compute(prk, one, t);
        t.CopyTo(out1);
        if (!out2.IsEmpty)
        {
            HmacBlake2s.Compute(prk, t, two, t);
            t.CopyTo(out2);
        }
        if (!out3.IsEmpty)
        {
            HmacBlake2s.Compute(prk, t, three, t);
            t.CopyTo(out3);
        }
        prk.Clear();
        t.Clear();
    }
}
