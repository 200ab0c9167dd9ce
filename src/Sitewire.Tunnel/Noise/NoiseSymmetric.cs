using Sitewire.Crypto;

namespace Sitewire.Tunnel.Noise;

/// <summary>
/// The symmetric half of Noise as WireGuard instantiates it: Ci = HASH(construction), Hi = HASH(Ci || identifier),
/// MixHash h = HASH(h || data), MixKey ck = KDF1(ck, data), and the DH step that fails on low-order points.
/// </summary>
internal static class NoiseSymmetric
{
    public const int Size = Blake2s.MaxHashSize;

    public static ReadOnlySpan<byte> InitialChainingKey => ChainingKeyStart;

    private static readonly byte[] ChainingKeyStart = Hash(Constants.NoiseConstruction, default);
    private static readonly byte[] HashStart = Hash(ChainingKeyStart, Constants.WireGuardIdentifier);

    /// <summary>HASH(Hi || responder's static public key), where every handshake towards that responder starts.</summary>
    public static byte[] InitialHashFor(Key responderStatic)
    {
        Span<byte> bytes = stackalloc byte[Key.Size];
        responderStatic.CopyTo(bytes);
        return Hash(HashStart, bytes);
    }

    public static void MixHash(Span<byte> hash, ReadOnlySpan<byte> data) => Blake2s.Hash(hash, data, hash);

    public static void MixKey(Span<byte> chainingKey, ReadOnlySpan<byte> data) => Hkdf.Derive(chainingKey, data, chainingKey);

    /// <summary>X25519 of our private key and their public key; false when their key is of low order.</summary>
    public static bool TryDh(Key privateKey, ReadOnlySpan<byte> publicKey, Span<byte> shared)
    {
        Span<byte> priv = stackalloc byte[Key.Size];
        privateKey.CopyTo(priv);
        var ok = Curve25519.TrySharedSecret(priv, publicKey, shared);
        priv.Clear();
        return ok;
    }

    private static byte[] Hash(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        var output = new byte[Size];
        Blake2s.Hash(first, second, output);
        return output;
    }
}
