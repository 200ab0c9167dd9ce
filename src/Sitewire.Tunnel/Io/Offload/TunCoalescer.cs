using System.Buffers.Binary;

namespace Sitewire.Tunnel.Io.Offload;

/// <summary>
/// Joins a batch of packets bound for a TUN with offloads into super-packets, as the kernel's GRO would: TCP segments
/// (and, with <c>udp</c>, UDP datagrams) of one flow — same addresses and ports, IPv4 without options or fragmentation,
/// equal TOS/TTL/DF (IPv6: first word and hop limit), consecutive IPv4 identification, valid checksums; TCP with only
/// ACK (and PSH on the last one), equal acknowledgment, window and options, contiguous sequence numbers — with every
/// segment of the first one's payload size but the last (smaller or equal), within 64 KiB. A PSH or a short segment
/// closes the run; any other packet of the flow (SYN, FIN, RST, URG, ECE/CWR, a gap, a retransmission) closes it too and
/// is written as it is. Nothing is copied: the head packet's headers are rewritten for the whole super-packet and the
/// others' payloads are chained behind it (<see cref="NextMember"/>) for one gathering write; the virtio-net header goes
/// in the <see cref="VirtioNetHeader.Size"/> bytes in front of every head. One instance per thread.
/// </summary>
internal sealed class TunCoalescer
{
    private const int MaxOpenFlows = 16;
    private const byte TcpAck = 0x10;
    private const byte TcpPsh = 0x08;

    private readonly Flow[] _flows = new Flow[MaxOpenFlows];
    private int _flowCount;
    private int[] _heads = new int[128];
    private int[] _segments = new int[128];
    private int[] _gsoSizes = new int[128];
    private int[] _next = new int[128];
    private int[] _tail = new int[128];

    /// <summary>IP and transport header length of a packet this class joined (where a member's payload starts).</summary>
    public static int HeaderLength(ReadOnlySpan<byte> packet)
    {
        var info = Parse(packet, tcp: false, udp: false, checkLength: false);
        return info.TransportOffset + info.TransportHeaderLength;
    }

    /// <summary>The packet joined after <paramref name="index"/> in its super-packet, or -1.</summary>
    public int NextMember(int index) => _next[index];

    /// <summary>
    /// Coalesces <c>buffers[i][offset .. offset + sizes[i]]</c> (offset at least <see cref="VirtioNetHeader.Size"/>); writes
    /// in <paramref name="writeSizes"/> the whole length of each write (virtio-net header, the head packet, then the payload
    /// after the head's header length of each <see cref="NextMember"/>), 0 for a packet joined to an earlier one.
    /// Returns the number of writes.
    /// </summary>
    public int Coalesce(byte[][] buffers, ReadOnlySpan<int> sizes, int count, int offset, Span<int> writeSizes, bool tcp, bool udp)
    {
        if (_heads.Length < count)
        {
            _heads = new int[count];
            _segments = new int[count];
            _gsoSizes = new int[count];
            _next = new int[count];
            _tail = new int[count];
        }
        _flowCount = 0;
        for (var i = 0; i < count; i++)
        {
            writeSizes[i] = sizes[i];
            _segments[i] = 1;
            _heads[i] = i;
            _next[i] = -1;
            _tail[i] = i;
            var packet = buffers[i].AsSpan(offset, sizes[i]);
            var info = Parse(packet, tcp, udp);
            if (info.Protocol == 0)
            {
                continue;
            }
            var slot = FindFlow(buffers, offset, packet, info);
            if (!info.Candidate)
            {
                if (slot >= 0)
                {
                    RemoveFlow(slot);
                }
                continue;
            }
            if (slot >= 0 && TryAppend(ref _flows[slot], buffers, offset, i, packet, info, writeSizes))
            {
                writeSizes[i] = 0;
                _heads[i] = -1;
                continue;
            }
            if (slot >= 0)
            {
                RemoveFlow(slot);
            }
            if (_flowCount == MaxOpenFlows)
            {
                RemoveFlow(0);
            }
            _gsoSizes[i] = info.PayloadLength;
            _flows[_flowCount++] = new Flow
            {
                Head = i,
                Info = info,
                NextSequence = info.Sequence + (uint)info.PayloadLength,
                NextId = (ushort)(info.Id + 1),
                Closed = info.Psh,
            };
        }
        var writes = 0;
        for (var i = 0; i < count; i++)
        {
            if (_heads[i] < 0)
            {
                continue;
            }
            var header = default(VirtioNetHeader);
            if (_segments[i] > 1)
            {
                header = Finish(buffers[i].AsSpan(offset, sizes[i]), writeSizes[i], _gsoSizes[i]);
            }
            header.Write(buffers[i].AsSpan(offset - VirtioNetHeader.Size, VirtioNetHeader.Size));
            writeSizes[i] += VirtioNetHeader.Size;
            writes++;
        }
        return writes;
    }

    private bool TryAppend(ref Flow flow, byte[][] buffers, int offset, int index, ReadOnlySpan<byte> packet, in PacketInfo info, Span<int> writeSizes)
    {
        var head = buffers[flow.Head].AsSpan(offset);
        var headInfo = flow.Info;
        var total = writeSizes[flow.Head];
        if (flow.Closed
            || info.TransportHeaderLength != headInfo.TransportHeaderLength
            || info.PayloadLength > headInfo.PayloadLength
            || total + info.PayloadLength > ushort.MaxValue)
        {
            return false;
        }
        if (info.Version == 4)
        {
            if (packet[1] != head[1] || (packet[6] >> 5) != (head[6] >> 5) || packet[8] != head[8] || info.Id != flow.NextId)
            {
                return false;
            }
        }
        else if (!packet[..4].SequenceEqual(head[..4]) || packet[7] != head[7])
        {
            return false;
        }
        var transport = packet.Slice(info.TransportOffset, info.TransportHeaderLength);
        var headTransport = head.Slice(headInfo.TransportOffset, headInfo.TransportHeaderLength);
        if (info.Protocol == InternetChecksum.ProtocolTcp)
        {
            if (info.Sequence != flow.NextSequence
                || !transport.Slice(8, 4).SequenceEqual(headTransport.Slice(8, 4))
                || transport[12] != headTransport[12]
                || (transport[13] & ~TcpPsh) != (headTransport[13] & ~TcpPsh)
                || !transport.Slice(14, 2).SequenceEqual(headTransport.Slice(14, 2))
                || !transport[20..].SequenceEqual(headTransport[20..]))
            {
                return false;
            }
        }
        _next[_tail[flow.Head]] = index;
        _tail[flow.Head] = index;
        writeSizes[flow.Head] = total + info.PayloadLength;
        _segments[flow.Head]++;
        flow.NextSequence += (uint)info.PayloadLength;
        flow.NextId++;
        if (info.Psh)
        {
            headTransport[13] |= TcpPsh;
        }
        flow.Closed = info.Psh || info.PayloadLength < headInfo.PayloadLength;
        return true;
    }

    /// <summary>Rewrites the head packet's lengths and checksums for the joined packet of <paramref name="length"/> bytes and returns its virtio-net header.</summary>
    private static VirtioNetHeader Finish(Span<byte> packet, int length, int gsoSize)
    {
        var info = Parse(packet, tcp: true, udp: true, checkLength: false);
        if (info.Version == 4)
        {
            BinaryPrimitives.WriteUInt16BigEndian(packet[2..], (ushort)length);
            GsoSegmenter.WriteIPv4HeaderChecksum(packet[..info.TransportOffset]);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(packet[4..], (ushort)(length - 40));
        }
        var transportLength = length - info.TransportOffset;
        var partial = InternetChecksum.Fold(GsoSegmenter.PseudoHeaderSum(packet, info.Version, info.Protocol, transportLength));
        var isTcp = info.Protocol == InternetChecksum.ProtocolTcp;
        var checksumOffset = isTcp ? 16 : 6;
        if (!isTcp)
        {
            BinaryPrimitives.WriteUInt16BigEndian(packet[(info.TransportOffset + 4)..], (ushort)transportLength);
        }
        BinaryPrimitives.WriteUInt16BigEndian(packet[(info.TransportOffset + checksumOffset)..], partial);
        return new VirtioNetHeader
        {
            Flags = VirtioNetHeader.FlagNeedsChecksum,
            GsoType = isTcp ? (info.Version == 4 ? VirtioNetHeader.GsoTcpV4 : VirtioNetHeader.GsoTcpV6) : VirtioNetHeader.GsoUdpL4,
            HeaderLength = (ushort)(info.TransportOffset + info.TransportHeaderLength),
            GsoSize = (ushort)gsoSize,
            ChecksumStart = (ushort)info.TransportOffset,
            ChecksumOffset = (ushort)checksumOffset,
        };
    }

    private int FindFlow(byte[][] buffers, int offset, ReadOnlySpan<byte> packet, in PacketInfo info)
    {
        for (var slot = _flowCount - 1; slot >= 0; slot--)
        {
            ref var flow = ref _flows[slot];
            if (flow.Info.Protocol != info.Protocol || flow.Info.Version != info.Version)
            {
                continue;
            }
            var head = buffers[flow.Head].AsSpan(offset);
            var addresses = info.Version == 4 ? packet.Slice(12, 8) : packet.Slice(8, 32);
            var headAddresses = info.Version == 4 ? head.Slice(12, 8) : head.Slice(8, 32);
            if (addresses.SequenceEqual(headAddresses)
                && packet.Slice(info.TransportOffset, 4).SequenceEqual(head.Slice(flow.Info.TransportOffset, 4)))
            {
                return slot;
            }
        }
        return -1;
    }

    private void RemoveFlow(int slot)
    {
        Array.Copy(_flows, slot + 1, _flows, slot, _flowCount - slot - 1);
        _flowCount--;
    }

    /// <summary>
    /// Reads what coalescing needs. <see cref="PacketInfo.Protocol"/> is 0 for a packet that is not TCP or UDP we could
    /// tell a flow of (it passes untouched); <see cref="PacketInfo.Candidate"/> says whether it may be joined.
    /// </summary>
    internal static PacketInfo Parse(ReadOnlySpan<byte> packet, bool tcp, bool udp, bool checkLength = true)
    {
        var info = default(PacketInfo);
        if (packet.Length < 20)
        {
            return info;
        }
        var version = packet[0] >> 4;
        int transportOffset;
        byte protocol;
        var plainIp = true;
        if (version == 4)
        {
            var ihl = (packet[0] & 0x0F) * 4;
            if (ihl < 20 || packet.Length < ihl + 8)
            {
                return info;
            }
            transportOffset = ihl;
            protocol = packet[9];
            var fragment = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]);
            plainIp = ihl == 20 && (fragment & 0x3FFF) == 0 && (!checkLength || BinaryPrimitives.ReadUInt16BigEndian(packet[2..]) == packet.Length);
            if ((fragment & 0x1FFF) != 0)
            {
                return info;
            }
            info.Id = BinaryPrimitives.ReadUInt16BigEndian(packet[4..]);
        }
        else if (version == 6 && packet.Length >= 48)
        {
            transportOffset = 40;
            protocol = packet[6];
            plainIp = !checkLength || BinaryPrimitives.ReadUInt16BigEndian(packet[4..]) + 40 == packet.Length;
        }
        else
        {
            return info;
        }
        info.Version = version;
        info.TransportOffset = transportOffset;
        if (protocol == InternetChecksum.ProtocolTcp)
        {
            if (packet.Length < transportOffset + 20)
            {
                return info;
            }
            var headerLength = (packet[transportOffset + 12] >> 4) * 4;
            info.Protocol = protocol;
            if (headerLength < 20 || packet.Length < transportOffset + headerLength)
            {
                return info;
            }
            info.TransportHeaderLength = headerLength;
            info.PayloadLength = packet.Length - transportOffset - headerLength;
            info.Sequence = BinaryPrimitives.ReadUInt32BigEndian(packet[(transportOffset + 4)..]);
            var flags = packet[transportOffset + 13];
            info.Psh = (flags & TcpPsh) != 0;
            info.Candidate = tcp && plainIp && info.PayloadLength > 0 && (flags & ~TcpPsh) == TcpAck
                && ChecksumValid(packet, version, transportOffset, protocol);
        }
        else if (protocol == InternetChecksum.ProtocolUdp)
        {
            info.Protocol = protocol;
            info.TransportHeaderLength = 8;
            info.PayloadLength = packet.Length - transportOffset - 8;
            info.Candidate = udp && plainIp && info.PayloadLength > 0
                && BinaryPrimitives.ReadUInt16BigEndian(packet[(transportOffset + 4)..]) == packet.Length - transportOffset
                && BinaryPrimitives.ReadUInt16BigEndian(packet[(transportOffset + 6)..]) != 0
                && ChecksumValid(packet, version, transportOffset, protocol);
        }
        return info;
    }

    private static bool ChecksumValid(ReadOnlySpan<byte> packet, int version, int transportOffset, byte protocol)
    {
        var sum = GsoSegmenter.PseudoHeaderSum(packet, version, protocol, packet.Length - transportOffset);
        return InternetChecksum.Fold(InternetChecksum.Add(packet[transportOffset..], sum)) == 0xFFFF;
    }

    internal struct PacketInfo
    {
        public int Version;
        public byte Protocol;
        public bool Candidate;
        public int TransportOffset;
        public int TransportHeaderLength;
        public int PayloadLength;
        public uint Sequence;
        public ushort Id;
        public bool Psh;
    }

    private struct Flow
    {
        public int Head;
        public PacketInfo Info;
        public uint NextSequence;
        public ushort NextId;
        public bool Closed;
    }
}
