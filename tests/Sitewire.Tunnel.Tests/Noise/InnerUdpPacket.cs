using System.Buffers.Binary;
using System.Net;

namespace Sitewire.Tunnel.Tests.Noise;

/// <summary>IPv4/UDP packets as they cross the tunnel (UDP checksum 0: "none", legal for IPv4).</summary>
internal static class InnerUdpPacket
{
    private const int IpHeaderSize = 20;
    private const int UdpHeaderSize = 8;

    public static byte[] Build(IPAddress source, IPAddress destination, ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> payload)
    {
        var packet = new byte[IpHeaderSize + UdpHeaderSize + payload.Length];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[8] = 64;
        packet[9] = 17;
        source.TryWriteBytes(packet.AsSpan(12, 4), out _);
        destination.TryWriteBytes(packet.AsSpan(16, 4), out _);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), HeaderChecksum(packet.AsSpan(0, IpHeaderSize)));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(20), sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(22), destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(24), (ushort)(UdpHeaderSize + payload.Length));
        payload.CopyTo(packet.AsSpan(IpHeaderSize + UdpHeaderSize));
        return packet;
    }

    /// <summary>Reads an IPv4/UDP packet (length from its header, so padding is ignored).</summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out IPAddress destination, out ushort destinationPort, out byte[] payload)
    {
        destination = IPAddress.None;
        destinationPort = 0;
        payload = [];
        if (packet.Length < IpHeaderSize + UdpHeaderSize || packet[0] != 0x45 || packet[9] != 17)
        {
            return false;
        }
        var totalLength = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        if (totalLength > packet.Length)
        {
            return false;
        }
        destination = new IPAddress(packet.Slice(16, 4));
        destinationPort = BinaryPrimitives.ReadUInt16BigEndian(packet[22..]);
        payload = packet[(IpHeaderSize + UdpHeaderSize)..totalLength].ToArray();
        return true;
    }

    private static ushort HeaderChecksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (var i = 0; i < header.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        }
        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (ushort)~sum;
    }
}
