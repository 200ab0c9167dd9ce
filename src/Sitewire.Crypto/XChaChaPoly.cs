namespace Sitewire.Crypto;

/// <summary>XChaCha20-Poly1305 with a 24-byte nonce, used by WireGuard's cookie reply.</summary>
public static unsafe class XChaChaPoly
{
    public const int NonceSize = 24;
    public const int TagSize = ChaChaPoly.TagSize;

    public static void Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> destination)
    {
        ChaChaPoly.CheckKey(key);
        CheckNonce(nonce);
        if (destination.Length != plaintext.Length + TagSize)
        {
            throw new ArgumentException("destination must be plaintext length + 16", nameof(destination));
        }
        Sodium.EnsureInitialized();
        fixed (byte* c = destination, m = plaintext, ad = associatedData, n = nonce, k = key)
        {
            Interop.XChaChaPolyEncrypt(c, c + plaintext.Length, null, m, (ulong)plaintext.Length, ad, (ulong)associatedData.Length, null, n, k);
        }
    }

    public static bool Open(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertextAndTag, ReadOnlySpan<byte> associatedData, Span<byte> destination)
    {
        ChaChaPoly.CheckKey(key);
        CheckNonce(nonce);
        if (ciphertextAndTag.Length < TagSize || destination.Length != ciphertextAndTag.Length - TagSize)
        {
            return false;
        }
        Sodium.EnsureInitialized();
        var length = ciphertextAndTag.Length - TagSize;
        fixed (byte* c = ciphertextAndTag, m = destination, ad = associatedData, n = nonce, k = key)
        {
            return Interop.XChaChaPolyDecrypt(m, null, c, (ulong)length, c + length, ad, (ulong)associatedData.Length, n, k) == 0;
        }
    }

    private static void CheckNonce(ReadOnlySpan<byte> nonce)
    {
        if (nonce.Length != NonceSize)
        {
            throw new ArgumentException("nonce must be 24 bytes", nameof(nonce));
        }
    }
}
