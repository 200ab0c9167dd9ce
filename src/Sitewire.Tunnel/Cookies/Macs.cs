using System.Security.Cryptography;
using Sitewire.Crypto;

namespace Sitewire.Tunnel.Cookies;

/// <summary>
/// mac1 and mac2 of handshake messages (whitepaper 5.4.4): both are 16-byte keyed BLAKE2s over every byte
/// before them; mac1 sits 32 bytes and mac2 16 bytes before the end of the message.
/// </summary>
internal static class Macs
{
    public static int Mac1Offset(int messageLength) => messageLength - 2 * Constants.MacSize;

    public static int Mac2Offset(int messageLength) => messageLength - Constants.MacSize;

    /// <summary>HASH(label || public key): the mac1 key ("mac1----") or cookie encryption key ("cookie--") of a public key.</summary>
    public static byte[] DeriveKey(ReadOnlySpan<byte> label, Key publicKey)
    {
        Span<byte> bytes = stackalloc byte[Key.Size];
        publicKey.CopyTo(bytes);
        var key = new byte[Blake2s.MaxHashSize];
        Blake2s.Hash(label, bytes, key);
        return key;
    }

    public static void WriteMac1(ReadOnlySpan<byte> mac1Key, Span<byte> message)
    {
        var offset = Mac1Offset(message.Length);
        Blake2s.Mac(mac1Key, message[..offset], message.Slice(offset, Constants.MacSize));
    }

    public static bool Mac1Valid(ReadOnlySpan<byte> mac1Key, ReadOnlySpan<byte> message) =>
        MacValid(mac1Key, message, Mac1Offset(message.Length));

    public static bool Mac2Valid(ReadOnlySpan<byte> cookie, ReadOnlySpan<byte> message) =>
        MacValid(cookie, message, Mac2Offset(message.Length));

    private static bool MacValid(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, int offset)
    {
        if (offset < 0)
        {
            return false;
        }
        Span<byte> expected = stackalloc byte[Constants.MacSize];
        Blake2s.Mac(key, message[..offset], expected);
        return CryptographicOperations.FixedTimeEquals(expected, message.Slice(offset, Constants.MacSize));
    }
}
