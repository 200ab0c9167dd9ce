using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Sitewire.Tunnel.Io;

/// <summary>
/// A UDP peer address (IPv4 or IPv6 and port) as a value, so that the packet path can compare and
/// store endpoints without allocating. IPv4 is kept as an IPv4-mapped IPv6 address.
/// A received endpoint also carries the local address (and interface) the datagram arrived on, so that answers leave
/// from that same address (sticky source, IP_PKTINFO); it is not part of equality, and an endpoint set by
/// configuration has none (the kernel chooses).
/// </summary>
public readonly struct Endpoint : IEquatable<Endpoint>
{
    private readonly ulong _high;
    private readonly ulong _low;
    private readonly ulong _localHigh;
    private readonly ulong _localLow;

    public Endpoint(ulong high, ulong low, ushort port)
    {
        _high = high;
        _low = low;
        Port = port;
    }

    private Endpoint(in Endpoint remote, ulong localHigh, ulong localLow, int localInterface)
    {
        _high = remote._high;
        _low = remote._low;
        Port = remote.Port;
        _localHigh = localHigh;
        _localLow = localLow;
        LocalInterface = localInterface;
    }

    /// <summary>True when the local address a datagram arrived on is known (and answers go from it).</summary>
    public bool HasLocal => _localHigh != 0 || _localLow != 0;

    /// <summary>Interface index of <see cref="HasLocal"/>'s address (0 unknown).</summary>
    public int LocalInterface { get; }

    /// <summary>This endpoint with the local address <paramref name="local"/> (4 or 16 bytes) on interface <paramref name="interfaceIndex"/>.</summary>
    public Endpoint WithLocal(ReadOnlySpan<byte> local, int interfaceIndex) => local.Length == 4
        ? new Endpoint(this, 0, 0xFFFF_0000_0000UL | BinaryPrimitives.ReadUInt32BigEndian(local), interfaceIndex)
        : new Endpoint(this, BinaryPrimitives.ReadUInt64BigEndian(local), BinaryPrimitives.ReadUInt64BigEndian(local[8..]), interfaceIndex);

    /// <summary>This endpoint without a local address: the kernel chooses the source.</summary>
    public Endpoint WithoutLocal() => new(_high, _low, Port);

    /// <summary>Writes the local address: 4 bytes for an IPv4 endpoint, else 16.</summary>
    public void WriteLocal(Span<byte> destination)
    {
        if (IsIPv4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)_localLow);
            return;
        }
        BinaryPrimitives.WriteUInt64BigEndian(destination, _localHigh);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _localLow);
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
