using System.Buffers.Binary;

namespace Sitewire.Tunnel.Tests.Io.Offload;

/// <summary>
/// The test side's own packet model, written independently of the engine's offload code: a naive RFC 1071 checksum
/// (one big-endian 16-bit word at a time), a builder of IPv4/IPv6 TCP/UDP packets with valid checksums, and a
/// segmenter that cuts a super-packet the way the kernel's GSO does.
/// </summary>
internal static class ReferencePackets
{
    public const byte Fin = 0x01, Syn = 0x02, Rst = 0x04, Psh = 0x08, Ack = 0x10, Urg = 0x20, Ece = 0x40, Cwr = 0x80;

    /// <summary>Ones'-complement sum of big-endian words, the odd byte padded with a zero; folded, not complemented.</summary>
    public static int OnesSum(ReadOnlySpan<byte> bytes)
    {
        long sum = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            sum += i % 2 == 0 ? bytes[i] << 8 : bytes[i];
        }
        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (int)sum;
    }

    /// <summary>The pseudo-header of the packet's transport checksum (RFC 768/793 for IPv4, RFC 8200 for IPv6).</summary>
    public static byte[] PseudoHeader(byte[] packet, int transportOffset)
    {
        var length = packet.Length - transportOffset;
        return packet[0] >> 4 == 4
            ? [.. packet.AsSpan(12, 8), 0, packet[9], (byte)(length >> 8), (byte)length]
            : [.. packet.AsSpan(8, 32), (byte)(length >> 24), (byte)(length >> 16), (byte)(length >> 8), (byte)length, 0, 0, 0, packet[6]];
    }

    /// <summary>The bytes the transport checksum covers: the pseudo-header, then the transport header and payload.</summary>
    private static byte[] ChecksumCovered(byte[] packet, int transportOffset) => [.. PseudoHeader(packet, transportOffset), .. packet.AsSpan(transportOffset)];

    public static int TransportOffset(byte[] packet) => packet[0] >> 4 == 4 ? (packet[0] & 0xF) * 4 : 40;

    /// <summary>True when the IPv4 header checksum (if IPv4) and the TCP/UDP checksum verify.</summary>
    public static bool ChecksumsValid(byte[] packet)
    {
        var version = packet[0] >> 4;
        var offset = TransportOffset(packet);
        if (version == 4 && OnesSum(packet.AsSpan(0, offset)) != 0xFFFF)
        {
            return false;
        }
        return OnesSum(ChecksumCovered(packet, offset)) == 0xFFFF;
    }

    /// <summary>Recomputes the IPv4 header checksum and the transport checksum (and lengths) of a packet.</summary>
    public static byte[] Seal(byte[] packet)
    {
        var version = packet[0] >> 4;
        var offset = TransportOffset(packet);
        var protocol = version == 4 ? packet[9] : packet[6];
        if (version == 4)
        {
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
            packet[10] = packet[11] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), (ushort)~OnesSum(packet.AsSpan(0, offset)));
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), (ushort)(packet.Length - 40));
        }
        var checksumAt = offset + (protocol == 6 ? 16 : 6);
        if (protocol == 17)
        {
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(offset + 4), (ushort)(packet.Length - offset));
        }
        packet[checksumAt] = packet[checksumAt + 1] = 0;
        var sum = (ushort)~OnesSum(ChecksumCovered(packet, offset));
        if (sum == 0 && protocol == 17)
        {
            sum = 0xFFFF;
        }
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(checksumAt), sum);
        return packet;
    }

    public sealed record Flow(int Version, byte Protocol, byte[] Source, byte[] Destination, ushort SourcePort, ushort DestinationPort)
    {
        public byte Tos { get; init; }
        public byte Ttl { get; init; } = 64;
        public bool DontFragment { get; init; } = true;
        public byte[] IPv4Options { get; init; } = [];
        public byte[] TcpOptions { get; init; } = [];
        public uint Ack { get; init; } = 77;
        public ushort Window { get; init; } = 502;
        public uint FlowLabel { get; init; } = 0x12345;
    }

    /// <summary>A packet of <paramref name="flow"/> with valid checksums.</summary>
    public static byte[] Build(Flow flow, ReadOnlySpan<byte> payload, uint sequence = 0, byte flags = Ack, ushort id = 0, bool moreFragments = false, ushort fragmentOffset = 0)
    {
        var ipLength = flow.Version == 4 ? 20 + flow.IPv4Options.Length : 40;
        var transportLength = flow.Protocol == 6 ? 20 + flow.TcpOptions.Length : 8;
        var packet = new byte[ipLength + transportLength + payload.Length];
        if (flow.Version == 4)
        {
            packet[0] = (byte)(0x40 | (ipLength / 4));
            packet[1] = flow.Tos;
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), id);
            var fragment = (ushort)((flow.DontFragment ? 0x4000 : 0) | (moreFragments ? 0x2000 : 0) | fragmentOffset);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), fragment);
            packet[8] = flow.Ttl;
            packet[9] = flow.Protocol;
            flow.Source.CopyTo(packet, 12);
            flow.Destination.CopyTo(packet, 16);
            flow.IPv4Options.CopyTo(packet, 20);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(packet, 0x6000_0000u | ((uint)flow.Tos << 20) | flow.FlowLabel);
            packet[6] = flow.Protocol;
            packet[7] = flow.Ttl;
            flow.Source.CopyTo(packet, 8);
            flow.Destination.CopyTo(packet, 24);
        }
        var t = packet.AsSpan(ipLength);
        BinaryPrimitives.WriteUInt16BigEndian(t, flow.SourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(t[2..], flow.DestinationPort);
        if (flow.Protocol == 6)
        {
            BinaryPrimitives.WriteUInt32BigEndian(t[4..], sequence);
            BinaryPrimitives.WriteUInt32BigEndian(t[8..], flow.Ack);
            t[12] = (byte)((transportLength / 4) << 4);
            t[13] = flags;
            BinaryPrimitives.WriteUInt16BigEndian(t[14..], flow.Window);
            flow.TcpOptions.CopyTo(t[20..]);
        }
        payload.CopyTo(t[transportLength..]);
        return Seal(packet);
    }

    /// <summary>
    /// The kernel's GSO, independently: cuts the payload after the headers into <paramref name="segmentSize"/> pieces,
    /// IPv4 id + i, TCP seq + offset, FIN/PSH kept on the last piece only, CWR on the first only, every checksum fresh.
    /// </summary>
    public static List<byte[]> Segment(byte[] superPacket, int segmentSize)
    {
        var version = superPacket[0] >> 4;
        var offset = TransportOffset(superPacket);
        var protocol = version == 4 ? superPacket[9] : superPacket[6];
        var headerLength = offset + (protocol == 6 ? (superPacket[offset + 12] >> 4) * 4 : 8);
        var payload = superPacket.Length - headerLength;
        var count = Math.Max(1, (payload + segmentSize - 1) / segmentSize);
        var result = new List<byte[]>();
        for (var i = 0; i < count; i++)
        {
            var chunk = Math.Min(segmentSize, payload - (i * segmentSize));
            var segment = new byte[headerLength + chunk];
            Array.Copy(superPacket, segment, headerLength);
            Array.Copy(superPacket, headerLength + (i * segmentSize), segment, headerLength, chunk);
            if (version == 4)
            {
                var id = BinaryPrimitives.ReadUInt16BigEndian(segment.AsSpan(4));
                BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(4), (ushort)(id + i));
            }
            if (protocol == 6)
            {
                var seq = BinaryPrimitives.ReadUInt32BigEndian(segment.AsSpan(offset + 4));
                BinaryPrimitives.WriteUInt32BigEndian(segment.AsSpan(offset + 4), seq + (uint)(i * segmentSize));
                if (i != count - 1)
                {
                    segment[offset + 13] &= unchecked((byte)~(Fin | Psh));
                }
                if (i != 0)
                {
                    segment[offset + 13] &= unchecked((byte)~Cwr);
                }
            }
            result.Add(Seal(segment));
        }
        return result;
    }
}
