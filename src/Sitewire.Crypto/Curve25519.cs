using System.Security.Cryptography;

namespace Sitewire.Crypto;

/// <summary>X25519 (RFC 7748) through libsodium.</summary>
public static unsafe class Curve25519
{
    public const int KeySize = 32;

    /// <summary>
    /// Computes the shared secret. Returns false when the peer's public key is of low order
    /// (the result would be all zeros), which WireGuard must reject.
    /// </summary>
    public static bool TrySharedSecret(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> publicKey, Span<byte> sharedSecret)
    {
        Check(privateKey, publicKey, sharedSecret);
        Sodium.EnsureInitialized();
        fixed (byte* q = sharedSecret, n = privateKey, p = publicKey)
        {
            if (Interop.ScalarMult(q, n, p) != 0)
            {
                sharedSecret.Clear();
                return false;
            }
        }
        return !IsAllZero(sharedSecret);
    }

    public static void PublicKey(ReadOnlySpan<byte> privateKey, Span<byte> publicKey)
    {
        Check(privateKey, publicKey, publicKey);
        Sodium.EnsureInitialized();
        fixed (byte* q = publicKey, n = privateKey)
        {
            if (Interop.ScalarMultBase(q, n) != 0)
            {
                throw new CryptographicException("X25519 base-point multiplication failed");
            }
        }
    }

    /// <summary>32 random bytes, clamped as RFC 7748 and `wg genkey` do.</summary>
    public static void GeneratePrivateKey(Span<byte> privateKey)
    {
        if (privateKey.Length != KeySize)
        {
            throw new ArgumentException("private key is 32 bytes", nameof(privateKey));
        }
        RandomNumberGenerator.Fill(privateKey);
        Clamp(privateKey);
    }

    public static void Clamp(Span<byte> privateKey)
    {
        privateKey[0] &= 248;
        privateKey[31] &= 127;
        privateKey[31] |= 64;
    }

    private static bool IsAllZero(ReadOnlySpan<byte> bytes) => bytes.IndexOfAnyExcept((byte)0) < 0;

    private static void Check(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c)
    {
        if (a.Length != KeySize || b.Length != KeySize || c.Length != KeySize)
        {
            throw new ArgumentException("X25519 keys are 32 bytes");
        }
    }
}
