using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Sitewire.Crypto;

/// <summary>
/// A 32-byte WireGuard key (private, public or preshared) in the base64 form that wg and wg-quick use.
/// <see cref="ToString"/> never prints the key; call <see cref="ToBase64"/> when it is meant to be shown.
/// </summary>
public readonly struct Key : IEquatable<Key>
{
    public const int Size = 32;
    public const int Base64Length = 44;

    private readonly ulong _a, _b, _c, _d;

    public Key(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException("a key is 32 bytes", nameof(bytes));
        }
        _a = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        _b = BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
        _c = BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]);
        _d = BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]);
    }

    /// <summary>All zeros: wg's way of saying "no key".</summary>
    public bool IsZero => (_a | _b | _c | _d) == 0;

    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, _a);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], _b);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], _c);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[24..], _d);
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        CopyTo(bytes);
        return bytes;
    }

    public string ToBase64()
    {
        Span<byte> bytes = stackalloc byte[Size];
        CopyTo(bytes);
        var text = Convert.ToBase64String(bytes);
        bytes.Clear();
        return text;
    }

    public string ToHex()
    {
        Span<byte> bytes = stackalloc byte[Size];
        CopyTo(bytes);
        var text = Convert.ToHexStringLower(bytes);
        bytes.Clear();
        return text;
    }

    public static Key GeneratePrivate()
    {
        Span<byte> bytes = stackalloc byte[Size];
        Curve25519.GeneratePrivateKey(bytes);
        var key = new Key(bytes);
        bytes.Clear();
        return key;
    }

    public static Key GeneratePreshared()
    {
        Span<byte> bytes = stackalloc byte[Size];
        RandomNumberGenerator.Fill(bytes);
        var key = new Key(bytes);
        bytes.Clear();
        return key;
    }

    /// <summary>The X25519 public key of this private key (clamping applies, as in wg pubkey).</summary>
    public Key PublicKey()
    {
        Span<byte> priv = stackalloc byte[Size];
        Span<byte> pub = stackalloc byte[Size];
        CopyTo(priv);
        Curve25519.PublicKey(priv, pub);
        priv.Clear();
        return new Key(pub);
    }

    public static bool TryParseBase64(ReadOnlySpan<char> text, out Key key)
    {
        key = default;
        text = text.Trim();
        if (text.Length != Base64Length || text[^1] != '=')
        {
            return false;
        }
        Span<byte> bytes = stackalloc byte[33];
        if (!Convert.TryFromBase64Chars(text, bytes, out var written) || written != Size)
        {
            return false;
        }
        key = new Key(bytes[..Size]);
        bytes.Clear();
        return true;
    }

    public static bool TryParseHex(ReadOnlySpan<char> text, out Key key)
    {
        key = default;
        if (text.Length != Size * 2)
        {
            return false;
        }
        Span<byte> bytes = stackalloc byte[Size];
        if (Convert.FromHexString(text, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != Size)
        {
            return false;
        }
        key = new Key(bytes);
        bytes.Clear();
        return true;
    }

    public static Key ParseBase64(string text) =>
        TryParseBase64(text, out var key) ? key : throw new FormatException("a key is 44 characters of base64 encoding 32 bytes");

    /// <summary>Constant time: every word is compared, whatever differs first.</summary>
    public bool Equals(Key other) => ((_a ^ other._a) | (_b ^ other._b) | (_c ^ other._c) | (_d ^ other._d)) == 0;

    public override bool Equals([NotNullWhen(true)] object? obj) => obj is Key other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_a, _b, _c, _d);

    public override string ToString() => "(key)";

    public static bool operator ==(Key left, Key right) => left.Equals(right);

    public static bool operator !=(Key left, Key right) => !left.Equals(right);
}
