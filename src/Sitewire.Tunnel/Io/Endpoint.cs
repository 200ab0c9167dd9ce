using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Sitewire.Tunnel.Io;

/// <summary>
/// A UDP peer address (IPv4 or IPv6 and port) as a value, so that the packet path can compare and
/// store endpoints without allocating. IPv4 is kept as an IPv4-mapped IPv6 address.
/// </summary>
public readonly struct Endpoint : IEquatable<Endpoint>
{
    private readonly ulong _high;
    private readonly ulong _low;

    public Endpoint(ulong high, ulong low, ushort port)
    {
        _high = high;
        _low = low;
        Port = port;
    }

    public ushort Port { get; }

    public bool IsEmpty => _high == 0 && _low == 0 && Port == 0;

    public bool IsIPv4 => _high == 0 && (_low >> 32) == 0xFFFF;

    public static Endpoint FromIPv4(ReadOnlySpan<byte> address, ushort port) =>
        new(0, 0xFFFF_0000_0000UL | BinaryPrimitives.ReadUInt32BigEndian(address), port);

    public static Endpoint FromIPv6(ReadOnlySpan<byte> address, ushort port) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(address), BinaryPrimitives.ReadUInt64BigEndian(address[8..]), port);

    public static Endpoint FromIPEndPoint(IPEndPoint endPoint)
    {
        Span<byte> bytes = stackalloc byte[16];
        var address = endPoint.Address;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            address.TryWriteBytes(bytes, out _);
            return FromIPv4(bytes, (ushort)endPoint.Port);
        }
        address.TryWriteBytes(bytes, out _);
        return FromIPv6(bytes, (ushort)endPoint.Port);
    }

    /// <summary>Writes the 16-byte IPv6 (or IPv4-mapped) form.</summary>
    public void WriteAddress16(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _high);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _low);
    }

    /// <summary>Writes the 4-byte IPv4 address; only for <see cref="IsIPv4"/>.</summary>
    public void WriteAddress4(Span<byte> destination) =>
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)_low);

    public IPEndPoint ToIPEndPoint()
    {
        Span<byte> bytes = stackalloc byte[16];
        if (IsIPv4)
        {
            WriteAddress4(bytes);
            return new IPEndPoint(new IPAddress(bytes[..4]), Port);
        }
        WriteAddress16(bytes);
        return new IPEndPoint(new IPAddress(bytes), Port);
    }

    /// <summary>wg's notation: 192.0.2.1:51820 or [2001:db8::1]:51820.</summary>
    public override string ToString() => IsEmpty ? "(none)" : ToIPEndPoint().ToString();

    public bool Equals(Endpoint other) => _high == other._high && _low == other._low && Port == other.Port;

    public override bool Equals(object? obj) => obj is Endpoint other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_high, _low, Port);

    public static bool operator ==(Endpoint left, Endpoint right) => left.Equals(right);

    public static bool operator !=(Endpoint left, Endpoint right) => !left.Equals(right);
}
