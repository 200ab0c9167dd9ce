using System.Buffers.Binary;

namespace Sitewire.Crypto;

/// <summary>
/// ChaCha20-Poly1305 (RFC 8439) with WireGuard's nonce: 32 zero bits then a 64-bit little-endian counter.
/// Output layout is ciphertext followed by the 16-byte tag, as on the wire.
/// </summary>
public static unsafe class ChaChaPoly
{
    public const int KeySize = 32;
    public const int TagSize = 16;
    public const int NonceSize = 12;

    public static void Seal(ReadOnlySpan<byte> key, ulong counter, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> destination)
    {
        CheckKey(key);
        if (destination.Length != plaintext.Length + TagSize)
        {
            throw new ArgumentException("destination must be plaintext length + 16", nameof(destination));
        }
        Span<byte> nonce = stackalloc byte[NonceSize];
        WriteNonce(nonce, counter);
        Seal(key, nonce, plaintext, associatedData, destination);
    }

    /// <summary>RFC 8439 with a full 96-bit nonce; WireGuard's counter form is the overload above.</summary>
    internal static void Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> destination)
    {
        Sodium.EnsureInitialized();
        fixed (byte* c = destination, m = plaintext, ad = associatedData, n = nonce, k = key)
        {
            Interop.ChaChaPolyEncrypt(c, c + plaintext.Length, null, m, (ulong)plaintext.Length, ad, (ulong)associatedData.Length, null, n, k);
        }
    }

    /// <summary>Returns false, and leaves <paramref name="destination"/> unspecified, when the tag does not verify.</summary>
    public static bool Open(ReadOnlySpan<byte> key, ulong counter, ReadOnlySpan<byte> ciphertextAndTag, ReadOnlySpan<byte> associatedData, Span<byte> destination)
    {
        CheckKey(key);
        if (ciphertextAndTag.Length < TagSize || destination.Length != ciphertextAndTag.Length - TagSize)
        {
            return false;
        }
        Sodium.EnsureInitialized();
        Span<byte> nonce = stackalloc byte[NonceSize];
        WriteNonce(nonce, counter);
        var length = ciphertextAndTag.Length - TagSize;
        fixed (byte* c = ciphertextAndTag, m = destination, ad = associatedData, n = nonce, k = key)
        {
            return Interop.ChaChaPolyDecrypt(m, null, c, (ulong)length, c + length, ad, (ulong)associatedData.Length, n, k) == 0;
        }
    }

    private static void WriteNonce(Span<byte> nonce, ulong counter)
    {
        nonce[..4].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(nonce[4..], counter);
    }

    internal static void CheckKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException("key must be 32 bytes", nameof(key));
        }
    }
}
