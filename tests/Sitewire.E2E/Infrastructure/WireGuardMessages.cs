using System.Buffers.Binary;
using Sitewire.Crypto;

namespace Sitewire.E2E.Infrastructure;

/// <summary>
/// Crafts WireGuard wire messages for attack traffic: sizes from the whitepaper (section 5.4), mac1 as
/// MAC(HASH("mac1----" ‖ responder public key), msg[0 .. size−32]) with a 16-byte keyed BLAKE2s.
/// </summary>
public static class WireGuardMessages
{
    public const byte InitiationType = 1;
    public const byte ResponseType = 2;
    public const byte CookieReplyType = 3;
    public const byte TransportType = 4;
    public const int InitiationSize = 148;
    public const int ResponseSize = 92;
    public const int CookieReplySize = 64;
    public const int TransportMinimumSize = 32;
    private const int MacSize = 16;

    public static int CanonicalSize(byte type) => type switch
    {
        InitiationType => InitiationSize,
        ResponseType => ResponseSize,
        CookieReplyType => CookieReplySize,
        TransportType => TransportMinimumSize,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>A message of the type's size with a random body, its header set, and (for handshakes) mac1 valid for the responder or random.</summary>
    public static byte[] Random(Random random, byte type, Key responderPublicKey, bool validMac1)
    {
        var message = new byte[CanonicalSize(type)];
        random.NextBytes(message);
        BinaryPrimitives.WriteUInt32LittleEndian(message, type);
        if (validMac1 && type is InitiationType or ResponseType)
        {
            WriteMac1(message, responderPublicKey);
        }
        return message;
    }

    /// <summary>Sets mac1 (bytes size−32 .. size−16) of a handshake message for the given receiver and clears mac2.</summary>
    public static void WriteMac1(Span<byte> message, Key receiverPublicKey)
    {
        ReadOnlySpan<byte> label = "mac1----"u8;
        Span<byte> publicKey = stackalloc byte[Key.Size];
        receiverPublicKey.CopyTo(publicKey);
        Span<byte> macKey = stackalloc byte[Blake2s.MaxHashSize];
        Blake2s.Hash(label, publicKey, macKey);
        var macOffset = message.Length - 2 * MacSize;
        Blake2s.Mac(macKey, message[..macOffset], message.Slice(macOffset, MacSize));
        message[(macOffset + MacSize)..].Clear();
    }

    /// <summary>Sets mac2 (the last 16 bytes) of a handshake message: MAC(cookie, every byte before mac2).</summary>
    public static void WriteMac2(Span<byte> message, ReadOnlySpan<byte> cookie)
    {
        var macOffset = message.Length - MacSize;
        Blake2s.Mac(cookie, message[..macOffset], message[macOffset..]);
    }

    /// <summary>
    /// The cookie in a cookie reply (type 3, receiver 4..8, nonce 8..32, encrypted cookie 32..64) that answers a handshake
    /// message with <paramref name="mac1"/>, sent by the responder with <paramref name="responderPublicKey"/>; null when it does not open.
    /// </summary>
    public static byte[]? OpenCookieReply(ReadOnlySpan<byte> reply, ReadOnlySpan<byte> mac1, Key responderPublicKey)
    {
        if (reply.Length != CookieReplySize || reply[0] != CookieReplyType)
        {
            return null;
        }
        Span<byte> publicKey = stackalloc byte[Key.Size];
        responderPublicKey.CopyTo(publicKey);
        Span<byte> cookieKey = stackalloc byte[Blake2s.MaxHashSize];
        Blake2s.Hash("cookie--"u8, publicKey, cookieKey);
        var cookie = new byte[MacSize];
        return XChaChaPoly.Open(cookieKey, reply[8..32], reply[32..], mac1, cookie) ? cookie : null;
    }

    /// <summary>The mac1 field of a handshake message.</summary>
    public static ReadOnlySpan<byte> Mac1(ReadOnlySpan<byte> message) => message.Slice(message.Length - 2 * MacSize, MacSize);

    /// <summary>The message with one bit flipped.</summary>
    public static byte[] FlipBit(byte[] message, int bit)
    {
        var copy = (byte[])message.Clone();
        copy[bit / 8 % copy.Length] ^= (byte)(1 << (bit % 8));
        return copy;
    }

    /// <summary>The message cut to <paramref name="length"/> bytes, or padded with random bytes up to it.</summary>
    public static byte[] Resize(Random random, byte[] message, int length)
    {
        var copy = new byte[length];
        message.AsSpan(0, Math.Min(length, message.Length)).CopyTo(copy);
        if (length > message.Length)
        {
            random.NextBytes(copy.AsSpan(message.Length));
        }
        return copy;
    }
}
