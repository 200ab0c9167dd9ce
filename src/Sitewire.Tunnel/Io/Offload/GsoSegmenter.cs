using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sitewire.Tunnel.Io.Offload;

/// <summary>
/// Splits what a TUN with offloads hands us — a TCP or UDP super-packet of up to 64 KiB with its virtio-net header, as
/// the kernel's GSO would — into the IP packets the wire would have carried: each with the headers of the original,
/// <see cref="SegmentPlan.SegmentSize"/> bytes of payload (the last one the rest), IPv4 total length, identification
/// (+1 per segment) and header checksum, IPv6 payload length, TCP sequence number, UDP length, and TCP FIN and PSH only on
/// the last segment, CWR only on the first; transport checksums computed in full. A packet without GSO whose checksum
/// the kernel left partial (NEEDS_CSUM) gets it completed.
/// </summary>
internal static class GsoSegmenter
{
    private const byte TcpFin = 0x01;
    private const byte TcpPsh = 0x08;
    private const byte TcpCwr = 0x80;

    /// <summary>Reads the header and the packet it describes; false when the two do not make a packet we can split.</summary>
    public static bool TryPlan(in VirtioNetHeader header, ReadOnlySpan<byte> packet, out SegmentPlan plan)
    {
        plan = default;
        var gsoType = header.GsoType & ~VirtioNetHeader.GsoEcn;
        if (gsoType == VirtioNetHeader.GsoNone)
        {
            plan = new SegmentPlan { Count = 1, TotalLength = packet.Length };
            return packet.Length > 0;
        }
        if (packet.Length < 20 || header.GsoSize == 0)
        {
            return false;
        }
        var version = packet[0] >> 4;
        int ipHeaderLength;
        if (version == 4)
        {
            ipHeaderLength = (packet[0] & 0x0F) * 4;
            if (ipHeaderLength < 20)
            {
                return false;
            }
        }
        else if (version == 6)
        {
            ipHeaderLength = 40;
        }
        else
        {
            return false;
        }
        byte protocol;
        switch (gsoType)
        {
            case VirtioNetHeader.GsoTcpV4 when version == 4:
            case VirtioNetHeader.GsoTcpV6 when version == 6:
                protocol = InternetChecksum.ProtocolTcp;
                break;
            case VirtioNetHeader.GsoUdpL4:
                protocol = InternetChecksum.ProtocolUdp;
                break;
            default:
                return false;
        }
        if (version == 4 && packet[9] != protocol)
        {
            return false;
        }
        var transportOffset = (header.Flags & VirtioNetHeader.FlagNeedsChecksum) != 0 ? header.ChecksumStart : ipHeaderLength;
        if (transportOffset < ipHeaderLength || transportOffset + 20 > packet.Length)
        {
            return false;
        }
        var transportHeaderLength = protocol == InternetChecksum.ProtocolTcp ? (packet[transportOffset + 12] >> 4) * 4 : 8;
        if (transportHeaderLength < 8 || (protocol == InternetChecksum.ProtocolTcp && transportHeaderLength < 20))
        {
            return false;
        }
        var headerLength = transportOffset + transportHeaderLength;
        var payload = packet.Length - headerLength;
        if (payload < 0 || headerLength + header.GsoSize > ushort.MaxValue)
        {
            return false;
        }
        plan = new SegmentPlan
        {
            Version = version,
            IpHeaderLength = ipHeaderLength,
            TransportOffset = transportOffset,
            HeaderLength = headerLength,
            Protocol = protocol,
            SegmentSize = header.GsoSize,
            PayloadLength = payload,
            TotalLength = packet.Length,
            Count = Math.Max(1, (payload + header.GsoSize - 1) / header.GsoSize),
            Segmented = true,
        };
        return true;
    }

    /// <summary>
    /// Writes segment <paramref name="index"/> of <paramref name="source"/> to <paramref name="destination"/> and returns its
    /// length. The destination may be the source itself for segment 0 only, written after all the others.
    /// </summary>
    public static int WriteSegment(in SegmentPlan plan, ReadOnlySpan<byte> source, int index, Span<byte> destination)
    {
        if (!plan.Segmented)
        {
            Copy(source[..plan.TotalLength], destination);
            return plan.TotalLength;
        }
        var payloadStart = index * plan.SegmentSize;
        var chunk = Math.Min(plan.SegmentSize, plan.PayloadLength - payloadStart);
        var length = plan.HeaderLength + chunk;
        Copy(source[..plan.HeaderLength], destination);
        Copy(source.Slice(plan.HeaderLength + payloadStart, chunk), destination[plan.HeaderLength..]);
        var segment = destination[..length];
        if (plan.Version == 4)
        {
            BinaryPrimitives.WriteUInt16BigEndian(segment[2..], (ushort)length);
            BinaryPrimitives.WriteUInt16BigEndian(segment[4..], (ushort)(BinaryPrimitives.ReadUInt16BigEndian(segment[4..]) + index));
            WriteIPv4HeaderChecksum(segment[..plan.IpHeaderLength]);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(segment[4..], (ushort)(length - 40));
        }
        var transport = segment[plan.TransportOffset..];
        if (plan.Protocol == InternetChecksum.ProtocolTcp)
        {
            BinaryPrimitives.WriteUInt32BigEndian(transport[4..], BinaryPrimitives.ReadUInt32BigEndian(transport[4..]) + (uint)payloadStart);
            if (index < plan.Count - 1)
            {
                transport[13] &= unchecked((byte)~(TcpFin | TcpPsh));
            }
            if (index > 0)
            {
                transport[13] &= unchecked((byte)~TcpCwr);
            }
            WriteTransportChecksum(segment, plan.Version, plan.TransportOffset, InternetChecksum.ProtocolTcp, 16);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(transport[4..], (ushort)transport.Length);
            WriteTransportChecksum(segment, plan.Version, plan.TransportOffset, InternetChecksum.ProtocolUdp, 6);
        }
        return length;
    }

    /// <summary>Completes a partial checksum (NEEDS_CSUM without GSO) in place; false when the header points outside the packet.</summary>
    public static bool CompleteChecksum(in VirtioNetHeader header, Span<byte> packet)
    {
        if ((header.Flags & VirtioNetHeader.FlagNeedsChecksum) == 0)
        {
            return true;
        }
        var start = header.ChecksumStart;
        var field = start + header.ChecksumOffset;
        if (field + 2 > packet.Length)
        {
            return false;
        }
        var checksum = InternetChecksum.Finish(InternetChecksum.Add(packet[start..]));
        BinaryPrimitives.WriteUInt16BigEndian(packet[field..], checksum == 0 && header.ChecksumOffset == 6 ? (ushort)0xFFFF : checksum);
        return true;
    }

    public static void WriteIPv4HeaderChecksum(Span<byte> ipHeader)
    {
        ipHeader[10] = 0;
        ipHeader[11] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(ipHeader[10..], InternetChecksum.Finish(InternetChecksum.Add(ipHeader)));
    }

    /// <summary>Writes the complete TCP or UDP checksum of <paramref name="packet"/> (its pseudo-header included).</summary>
    public static void WriteTransportChecksum(Span<byte> packet, int version, int transportOffset, byte protocol, int checksumOffset)
    {
        var field = packet.Slice(transportOffset + checksumOffset, 2);
        field.Clear();
        var sum = PseudoHeaderSum(packet, version, protocol, packet.Length - transportOffset);
        var checksum = InternetChecksum.Finish(InternetChecksum.Add(packet[transportOffset..], sum));
        BinaryPrimitives.WriteUInt16BigEndian(field, checksum == 0 && protocol == InternetChecksum.ProtocolUdp ? (ushort)0xFFFF : checksum);
    }

    public static uint PseudoHeaderSum(ReadOnlySpan<byte> packet, int version, byte protocol, int transportLength) =>
        version == 4
            ? InternetChecksum.PseudoHeader(packet.Slice(12, 4), packet.Slice(16, 4), protocol, transportLength)
            : InternetChecksum.PseudoHeader(packet.Slice(8, 16), packet.Slice(24, 16), protocol, transportLength);

    private static void Copy(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (!Unsafe.AreSame(ref MemoryMarshal.GetReference(source), ref MemoryMarshal.GetReference(destination)))
        {
            source.CopyTo(destination);
        }
    }
}

/// <summary>How one super-packet splits: <see cref="Count"/> segments of <see cref="SegmentSize"/> payload bytes after <see cref="HeaderLength"/> header bytes.</summary>
internal struct SegmentPlan
{
    public int Version;
    public int IpHeaderLength;
    public int TransportOffset;
    public int HeaderLength;
    public byte Protocol;
    public int SegmentSize;
    public int PayloadLength;
    public int TotalLength;
    public int Count;

    /// <summary>False for a packet without GSO: one segment, the packet as it is.</summary>
    public bool Segmented;
}
