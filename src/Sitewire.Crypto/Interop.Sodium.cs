using System.Runtime.InteropServices;

namespace Sitewire.Crypto;

/// <summary>
/// Calls into libsodium (the native package its author publishes), on plain byte spans: keys, nonces and packets
/// stay where the engine keeps them (stack, keypair arrays, pooled buffers), and a forged packet is a return code.
/// README.md ("Dependencies") says why not through a managed wrapper.
/// </summary>
internal static partial class Interop
{
    private const string Library = "libsodium";

    [LibraryImport(Library, EntryPoint = "sodium_init")]
    internal static partial int SodiumInit();

    [LibraryImport(Library, EntryPoint = "crypto_aead_chacha20poly1305_ietf_encrypt_detached")]
    internal static unsafe partial int ChaChaPolyEncrypt(
        byte* c, byte* mac, ulong* maclen, byte* m, ulong mlen, byte* ad, ulong adlen, byte* nsec, byte* npub, byte* k);

    [LibraryImport(Library, EntryPoint = "crypto_aead_chacha20poly1305_ietf_decrypt_detached")]
    internal static unsafe partial int ChaChaPolyDecrypt(
        byte* m, byte* nsec, byte* c, ulong clen, byte* mac, byte* ad, ulong adlen, byte* npub, byte* k);

    [LibraryImport(Library, EntryPoint = "crypto_aead_xchacha20poly1305_ietf_encrypt_detached")]
    internal static unsafe partial int XChaChaPolyEncrypt(
        byte* c, byte* mac, ulong* maclen, byte* m, ulong mlen, byte* ad, ulong adlen, byte* nsec, byte* npub, byte* k);

    [LibraryImport(Library, EntryPoint = "crypto_aead_xchacha20poly1305_ietf_decrypt_detached")]
    internal static unsafe partial int XChaChaPolyDecrypt(
        byte* m, byte* nsec, byte* c, ulong clen, byte* mac, byte* ad, ulong adlen, byte* npub, byte* k);

    [LibraryImport(Library, EntryPoint = "crypto_scalarmult_curve25519")]
    internal static unsafe partial int ScalarMult(byte* q, byte* n, byte* p);

    [LibraryImport(Library, EntryPoint = "crypto_scalarmult_curve25519_base")]
    internal static unsafe partial int ScalarMultBase(byte* q, byte* n);
}
