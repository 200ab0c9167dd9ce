using System.Buffers.Binary;
using System.Net;

namespace Sitewire.Tunnel.Tests.Doubles;

/// <summary>Builds and reads minimal IPv4/UDP packets (UDP checksum 0, which IPv4 allows).</summary>
internal static class Ipv4UdpPacket
{
    public const int HeaderBytes = 28;

    public static byte[] Build(IPAddress source, IPAddress destination, ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> payload)
    {
        var packet = new byte[HeaderBytes + payload.Length];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[8] = 64;
        packet[9] = 17;
        source.TryWriteBytes(packet.AsSpan(12, 4), out _);
        destination.TryWriteBytes(packet.AsSpan(16, 4), out _);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), HeaderChecksum(packet.AsSpan(0, 20)));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(20), sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(22), destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(24), (ushort)(8 + payload.Length));
        payload.CopyTo(packet.AsSpan(HeaderBytes));
        return packet;
    }

    /// <summary>True when <paramref name="packet"/> is IPv4/UDP to <paramref name="destination"/>:<paramref name="port"/>.</summary>
    public static bool IsUdpTo(ReadOnlySpan<byte> packet, IPAddress destination, ushort port) =>
        packet.Length >= HeaderBytes && packet[0] == 0x45 && packet[9] == 17
        && new IPAddress(packet.Slice(16, 4)).Equals(destination)
        && BinaryPrimitives.ReadUInt16BigEndian(packet[22..]) == port;

    /// <summary>Reads an IPv4/UDP packet (length from its header, so tunnel padding is ignored).</summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out IPAddress destination, out ushort destinationPort, out byte[] payload)
    {
        destination = IPAddress.None;
        destinationPort = 0;
        payload = [];
        if (packet.Length < HeaderBytes || packet[0] != 0x45 || packet[9] != 17)
        {
            return false;
        }
        var totalLength = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        if (totalLength > packet.Length || totalLength < HeaderBytes)
        {
            return false;
        }
        destination = new IPAddress(packet.Slice(16, 4));
        destinationPort = BinaryPrimitives.ReadUInt16BigEndian(packet[22..]);
        payload = packet[HeaderBytes..totalLength].ToArray();
        return true;
    }

    private static ushort HeaderChecksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (var i = 0; i < header.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        }
        while (sum > 0xffff)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (ushort)~sum;
    }
}
