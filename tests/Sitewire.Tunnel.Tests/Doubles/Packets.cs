using System.Buffers.Binary;
using System.Net;

namespace Sitewire.Tunnel.Tests.Doubles;

/// <summary>Minimal IPv4/IPv6 packets (UDP-like payload, no checksums) for the tunnel to carry.</summary>
public static class Packets
{
    public static byte[] Create(string source, string destination, ReadOnlySpan<byte> payload)
    {
        var from = IPAddress.Parse(source).GetAddressBytes();
        var to = IPAddress.Parse(destination).GetAddressBytes();
        if (from.Length == 4)
        {
            var packet = new byte[20 + payload.Length];
            packet[0] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
            packet[8] = 64;
            packet[9] = 17;
            from.CopyTo(packet, 12);
            to.CopyTo(packet, 16);
            payload.CopyTo(packet.AsSpan(20));
            return packet;
        }
        var v6 = new byte[40 + payload.Length];
        v6[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(v6.AsSpan(4), (ushort)payload.Length);
        v6[6] = 17;
        v6[7] = 64;
        from.CopyTo(v6, 8);
        to.CopyTo(v6, 24);
        payload.CopyTo(v6.AsSpan(40));
        return v6;
    }

    public static byte[] WithSequence(string source, string destination, int sequence, int size = 64)
    {
        var payload = new byte[size];
        BinaryPrimitives.WriteInt32BigEndian(payload, sequence);
        return Create(source, destination, payload);
    }

    public static int SequenceOf(byte[] packet) =>
        BinaryPrimitives.ReadInt32BigEndian(packet.AsSpan((packet[0] >> 4) == 4 ? 20 : 40));
}
