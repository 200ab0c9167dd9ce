using System.Buffers.Binary;
using Sitewire.Tunnel.Io;
using Sitewire.Tunnel.Io.Offload;
using static Sitewire.Tunnel.Tests.Io.Offload.ReferencePackets;

namespace Sitewire.Tunnel.Tests.Io.Offload;

/// <summary>
/// The TUN offload code (split of super-packets on read, coalescing on write, checksums) against the test's own
/// reference model in <see cref="ReferencePackets"/>, on random flows; every checksum produced is checked by the
/// reference's naive checksum routine.
/// </summary>
public sealed class OffloadTests
{
    private const int Offset = 16;

    [Fact]
    public void Checksum_matches_the_naive_routine_on_random_data()
    {
        var random = new Random(1);
        for (var round = 0; round < 2000; round++)
        {
            var data = new byte[random.Next(0, 3000)];
            random.NextBytes(data);
            var start = random.Next(0, Math.Min(8, data.Length + 1)) & ~1;
            var span = data.AsSpan(start);
            Assert.Equal((ushort)~OnesSum(span), InternetChecksum.Finish(InternetChecksum.Add(span)));
        }
    }

    public static TheoryData<int, byte> Kinds => new() { { 4, 6 }, { 6, 6 }, { 4, 17 }, { 6, 17 } };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Split_matches_the_reference_segmenter_on_random_super_packets(int version, byte protocol)
    {
        var random = new Random((version * 100) + protocol);
        for (var round = 0; round < 150; round++)
        {
            var flow = RandomFlow(random, version, protocol);
            var headerLength = (version == 4 ? 20 + flow.IPv4Options.Length : 40) + (protocol == 6 ? 20 + flow.TcpOptions.Length : 8);
            var segmentSize = random.Next(0, 4) == 0 ? random.Next(1, 200) : random.Next(500, 1461);
            var payload = new byte[random.Next(1, Math.Min(65535 - headerLength, segmentSize * 45) + 1)];
            random.NextBytes(payload);
            var flags = (byte)(Ack | (random.Next(0, 2) == 0 ? Psh : 0) | (random.Next(0, 4) == 0 ? Fin : 0) | (random.Next(0, 4) == 0 ? Cwr | Ece : 0) | (random.Next(0, 8) == 0 ? Urg : 0));
            var super = Build(flow, payload, (uint)random.Next(), flags, (ushort)random.Next(0, 65536));
            var expected = Segment(super, segmentSize);

            // What the kernel hands over: a partial checksum (pseudo-header only) and NEEDS_CSUM.
            var transportOffset = TransportOffset(super);
            var checksumOffset = protocol == 6 ? 16 : 6;
            WritePartialChecksum(super, transportOffset, checksumOffset);
            var header = new VirtioNetHeader
            {
                Flags = VirtioNetHeader.FlagNeedsChecksum,
                GsoType = protocol == 17 ? VirtioNetHeader.GsoUdpL4 : version == 4 ? VirtioNetHeader.GsoTcpV4 : VirtioNetHeader.GsoTcpV6,
                GsoSize = (ushort)segmentSize,
                HeaderLength = (ushort)headerLength,
                ChecksumStart = (ushort)transportOffset,
                ChecksumOffset = (ushort)checksumOffset,
            };
            if (protocol == 6 && random.Next(0, 2) == 0)
            {
                header.GsoType |= VirtioNetHeader.GsoEcn;
            }
            var buffer = new byte[PacketBuffers.BufferSize];
            super.CopyTo(buffer, Offset);
            var packet = buffer.AsSpan(Offset, super.Length);
            Assert.True(GsoSegmenter.TryPlan(header, packet, out var plan));
            Assert.Equal(expected.Count, plan.Count);
            var produced = new byte[plan.Count][];
            for (var i = plan.Count - 1; i >= 1; i--)
            {
                var destination = new byte[PacketBuffers.BufferSize];
                var length = GsoSegmenter.WriteSegment(plan, packet, i, destination.AsSpan(Offset));
                produced[i] = destination.AsSpan(Offset, length).ToArray();
            }
            produced[0] = buffer.AsSpan(Offset, GsoSegmenter.WriteSegment(plan, packet, 0, buffer.AsSpan(Offset))).ToArray();
            for (var i = 0; i < plan.Count; i++)
            {
                Assert.True(ChecksumsValid(produced[i]), $"round {round} segment {i}: checksum");
                Assert.Equal(expected[i].AsSpan(), produced[i].AsSpan());
            }
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Partial_checksum_is_completed(int version, byte protocol)
    {
        var random = new Random(7 + version + protocol);
        for (var round = 0; round < 300; round++)
        {
            var flow = RandomFlow(random, version, protocol);
            var payload = new byte[random.Next(0, 3000)];
            random.NextBytes(payload);
            var expected = Build(flow, payload, (uint)random.Next(), Ack, (ushort)random.Next(0, 65536));
            var packet = (byte[])expected.Clone();
            var transportOffset = TransportOffset(packet);
            var checksumOffset = protocol == 6 ? 16 : 6;
            WritePartialChecksum(packet, transportOffset, checksumOffset);
            var header = new VirtioNetHeader { Flags = VirtioNetHeader.FlagNeedsChecksum, ChecksumStart = (ushort)transportOffset, ChecksumOffset = (ushort)checksumOffset };
            Assert.True(GsoSegmenter.TryPlan(header, packet, out var plan));
            Assert.False(plan.Segmented);
            Assert.True(GsoSegmenter.CompleteChecksum(header, packet));
            Assert.True(ChecksumsValid(packet));
            Assert.Equal(expected.AsSpan(), packet.AsSpan());
        }
    }

    [Fact]
    public void Contiguous_segments_of_one_flow_become_one_super_packet()
    {
        var flow = new Flow(4, 6, [10, 0, 0, 1], [10, 0, 0, 2], 40000, 5201) { TcpOptions = [1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2] };
        var packets = Enumerable.Range(0, 8).Select(i => Build(flow, Payload(1000, i), (uint)(1000 * i), i == 7 ? (byte)(Ack | Psh) : Ack, (ushort)(100 + i))).ToList();
        var (writes, headers, outputs) = Coalesce(packets, tcp: true, udp: false);
        Assert.Single(writes);
        Assert.Equal(VirtioNetHeader.GsoTcpV4, headers[0].GsoType);
        Assert.Equal(1000, headers[0].GsoSize);
        AssertSamePackets(packets, Segment(CompleteReference(outputs[0], headers[0]), 1000));
    }

    [Theory]
    [InlineData("gap")]
    [InlineData("reorder")]
    [InlineData("psh")]
    [InlineData("fin")]
    [InlineData("rst")]
    [InlineData("urg")]
    [InlineData("syn")]
    [InlineData("ecn")]
    [InlineData("ipoptions")]
    [InlineData("fragment")]
    [InlineData("badchecksum")]
    [InlineData("tcpoptions")]
    [InlineData("ipid")]
    public void A_packet_that_breaks_the_run_is_not_joined(string breaker)
    {
        var flow = new Flow(4, 6, [10, 0, 0, 1], [10, 0, 0, 2], 40000, 5201);
        var packets = new List<byte[]>();
        for (var i = 0; i < 6; i++)
        {
            var seq = (uint)(1000 * i) + (breaker == "gap" && i >= 3 ? 1u : 0u);
            var f = flow;
            byte flags = Ack;
            var id = (ushort)(100 + i);
            var moreFragments = false;
            if (i == 3)
            {
                switch (breaker)
                {
                    case "psh": flags |= Psh; break;
                    case "fin": flags |= Fin; break;
                    case "rst": flags |= Rst; break;
                    case "urg": flags |= Urg; break;
                    case "syn": flags |= Syn; break;
                    case "ecn": f = flow with { Tos = 3 }; break;
                    case "ipoptions": f = flow with { IPv4Options = [1, 1, 1, 0] }; break;
                    case "fragment": moreFragments = true; break;
                    case "tcpoptions": f = flow with { TcpOptions = [1, 1, 1, 1] }; break;
                    case "ipid": id += 7; break;
                }
            }
            var packet = Build(f, Payload(1000, i), seq, flags, id, moreFragments);
            if (breaker == "badchecksum" && i == 3)
            {
                packet[^1] ^= 0x55;
            }
            packets.Add(packet);
        }
        if (breaker == "reorder")
        {
            (packets[3], packets[4]) = (packets[4], packets[3]);
        }
        var (writes, headers, outputs) = Coalesce(packets, tcp: true, udp: false);
        Assert.True(writes.Count >= 2, $"{breaker}: {writes.Count} writes");
        AssertReproduces(packets, writes, headers, outputs);
        if (breaker is "fin" or "rst" or "urg" or "syn" or "ipoptions" or "fragment" or "badchecksum")
        {
            var index = writes.IndexOf(3);
            Assert.True(index >= 0, $"{breaker}: packet 3 written on its own");
            Assert.Equal(VirtioNetHeader.GsoNone, headers[index].GsoType);
            Assert.Equal(packets[3].AsSpan(), outputs[index].AsSpan());
        }
    }

    [Theory]
    [InlineData(4, true)]
    [InlineData(6, true)]
    [InlineData(4, false)]
    [InlineData(6, false)]
    public void Coalescing_random_flows_loses_nothing_and_joins_only_what_splits_back_exactly(int version, bool udp)
    {
        var random = new Random(version * 10 + (udp ? 1 : 0));
        for (var round = 0; round < 200; round++)
        {
            var packets = RandomBatch(random, version, udp);
            var (writes, headers, outputs) = Coalesce(packets, tcp: true, udp: udp);
            AssertReproduces(packets, writes, headers, outputs);
            for (var w = 0; w < writes.Count; w++)
            {
                if (headers[w].GsoType == VirtioNetHeader.GsoNone)
                {
                    Assert.Equal(packets[writes[w]].AsSpan(), outputs[w].AsSpan());
                    continue;
                }
                Assert.True(outputs[w].Length <= 65535);
                Assert.True(udp || headers[w].GsoType != VirtioNetHeader.GsoUdpL4);
                var original = packets[writes[w]];
                Assert.True(IsCandidate(original), "only a joinable packet heads a super-packet");
            }
            for (var i = 0; i < packets.Count; i++)
            {
                if (!IsCandidate(packets[i]) || (!udp && (packets[i][0] >> 4 == 4 ? packets[i][9] : packets[i][6]) == 17))
                {
                    var w = writes.IndexOf(i);
                    Assert.True(w >= 0, $"round {round}: packet {i} that must not be joined was joined");
                    Assert.Equal(VirtioNetHeader.GsoNone, headers[w].GsoType);
                }
            }
        }
    }

    /// <summary>
    /// Every write, split back by the reference segmenter (after the reference completes its partial checksum), gives each
    /// flow's packets byte for byte in their original order; every partial checksum and IPv4 header checksum is right.
    /// </summary>
    private static void AssertReproduces(List<byte[]> packets, List<int> writes, List<VirtioNetHeader> headers, List<byte[]> outputs)
    {
        var produced = new List<byte[]>();
        for (var w = 0; w < writes.Count; w++)
        {
            if (headers[w].GsoType == VirtioNetHeader.GsoNone)
            {
                Assert.Equal(0, headers[w].Flags);
                produced.Add(outputs[w]);
                continue;
            }
            var output = outputs[w];
            var transportOffset = TransportOffset(output);
            Assert.Equal(transportOffset, headers[w].ChecksumStart);
            Assert.Equal(VirtioNetHeader.FlagNeedsChecksum, headers[w].Flags);
            var protocol = output[0] >> 4 == 4 ? output[9] : output[6];
            Assert.Equal(protocol == 6 ? 16 : 6, headers[w].ChecksumOffset);
            var pseudo = OnesSum(PseudoHeader(output, transportOffset));
            Assert.Equal(pseudo, BinaryPrimitives.ReadUInt16BigEndian(output.AsSpan(transportOffset + headers[w].ChecksumOffset)));
            if (output[0] >> 4 == 4)
            {
                Assert.Equal(0xFFFF, OnesSum(output.AsSpan(0, transportOffset)));
                Assert.Equal(output.Length, BinaryPrimitives.ReadUInt16BigEndian(output.AsSpan(2)));
            }
            produced.AddRange(Segment(CompleteReference(output, headers[w]), headers[w].GsoSize));
        }
        Assert.Equal(packets.Count, produced.Count);
        foreach (var group in packets.GroupBy(FlowKey))
        {
            AssertSamePackets(group.ToList(), produced.Where(p => FlowKey(p) == group.Key).ToList());
        }
    }

    /// <summary>Byte for byte and in order (xunit's structural comparison of a list of arrays is far slower).</summary>
    private static void AssertSamePackets(List<byte[]> expected, List<byte[]> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].AsSpan(), actual[i].AsSpan());
        }
    }

    private static (List<int> Writes, List<VirtioNetHeader> Headers, List<byte[]> Outputs) Coalesce(List<byte[]> packets, bool tcp, bool udp)
    {
        var buffers = packets.Select(p =>
        {
            var buffer = new byte[PacketBuffers.BufferSize];
            p.CopyTo(buffer, Offset);
            return buffer;
        }).ToArray();
        var sizes = packets.Select(p => p.Length).ToArray();
        var writeSizes = new int[packets.Count];
        var coalescer = new TunCoalescer();
        var count = coalescer.Coalesce(buffers, sizes, packets.Count, Offset, writeSizes, tcp, udp);
        var writes = new List<int>();
        var headers = new List<VirtioNetHeader>();
        var outputs = new List<byte[]>();
        for (var i = 0; i < packets.Count; i++)
        {
            if (writeSizes[i] == 0)
            {
                continue;
            }
            writes.Add(i);
            headers.Add(VirtioNetHeader.Read(buffers[i].AsSpan(Offset - VirtioNetHeader.Size)));
            var output = new List<byte>(buffers[i].AsSpan(Offset, sizes[i]).ToArray());
            var headerLength = TunCoalescer.HeaderLength(buffers[i].AsSpan(Offset, sizes[i]));
            for (var member = coalescer.NextMember(i); member >= 0; member = coalescer.NextMember(member))
            {
                output.AddRange(buffers[member].AsSpan(Offset + headerLength, sizes[member] - headerLength).ToArray());
            }
            Assert.Equal(writeSizes[i] - VirtioNetHeader.Size, output.Count);
            outputs.Add([.. output]);
        }
        Assert.Equal(count, writes.Count);
        return (writes, headers, outputs);
    }

    private static List<byte[]> RandomBatch(Random random, int version, bool udp)
    {
        var flows = Enumerable.Range(0, random.Next(1, 4)).Select(f =>
        {
            var protocol = udp && random.Next(0, 3) == 0 ? (byte)17 : (byte)6;
            return (Flow: RandomFlow(random, version, protocol) with { SourcePort = (ushort)(30000 + f) }, Mss: random.Next(100, 1400), Seq: (uint)random.Next(), Id: (ushort)random.Next(0, 65536));
        }).ToArray();
        var packets = new List<byte[]>();
        var total = random.Next(1, 128);
        for (var n = 0; n < total; n++)
        {
            var f = random.Next(0, flows.Length);
            var (flow, mss, seq, id) = flows[f];
            var length = random.Next(0, 10) == 0 ? random.Next(0, mss) : mss;
            byte flags = Ack;
            var moreFragments = false;
            var badChecksum = false;
            switch (random.Next(0, 30))
            {
                case 0: flags |= Psh; break;
                case 1: flags |= (byte)(random.Next(0, 2) == 0 ? Fin : Rst); break;
                case 2: flags |= (byte)(random.Next(0, 2) == 0 ? Urg : Syn); break;
                case 3: flags |= (byte)(Ece | Cwr); break;
                case 4: flow = flow with { Tos = 3 }; break;
                case 5 when version == 4: flow = flow with { IPv4Options = [1, 1, 1, 0] }; break;
                case 6 when version == 4: moreFragments = true; break;
                case 7: seq += 1000; break;
                case 8: flow = flow with { TcpOptions = [.. flow.TcpOptions.Select(b => (byte)(b ^ 1))] }; break;
                case 9: badChecksum = true; break;
                case 10: id += 3; break;
                case 11: flow = flow with { Window = (ushort)(flow.Window + 1) }; break;
            }
            var packet = Build(flow, Payload(length, n), seq, flags, id, moreFragments);
            if (badChecksum)
            {
                packet[^1] ^= 0x5A;
                if (packet.Length == TransportOffset(packet) + (flow.Protocol == 6 ? 20 + flow.TcpOptions.Length : 8))
                {
                    packet[TransportOffset(packet) + (flow.Protocol == 6 ? 16 : 6)] ^= 0x5A;
                }
            }
            packets.Add(packet);
            flows[f] = (flows[f].Flow, mss, seq + (uint)length, (ushort)(id + 1));
        }
        for (var swap = random.Next(0, 3); swap > 0 && packets.Count > 1; swap--)
        {
            var i = random.Next(0, packets.Count - 1);
            (packets[i], packets[i + 1]) = (packets[i + 1], packets[i]);
        }
        return packets;
    }

    /// <summary>The test's own rule for a packet that may be joined (beyond what the flow's neighbours decide).</summary>
    private static bool IsCandidate(byte[] packet)
    {
        var version = packet[0] >> 4;
        var offset = TransportOffset(packet);
        if (version == 4 && (offset != 20 || (BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(6)) & 0x3FFF) != 0))
        {
            return false;
        }
        var protocol = version == 4 ? packet[9] : packet[6];
        if (!ChecksumsValid(packet))
        {
            return false;
        }
        if (protocol == 17)
        {
            return packet.Length > offset + 8;
        }
        var headerLength = (packet[offset + 12] >> 4) * 4;
        return packet.Length > offset + headerLength && (packet[offset + 13] & ~Psh) == Ack;
    }

    private static string FlowKey(byte[] packet)
    {
        var offset = TransportOffset(packet);
        var addresses = packet[0] >> 4 == 4 ? packet.AsSpan(12, 8) : packet.AsSpan(8, 32);
        return $"{Convert.ToHexString(addresses)}/{Convert.ToHexString(packet.AsSpan(offset, 4))}";
    }

    private static byte[] CompleteReference(byte[] output, VirtioNetHeader header)
    {
        var packet = (byte[])output.Clone();
        var start = header.ChecksumStart;
        var field = start + header.ChecksumOffset;
        // The partial field holds the pseudo-header sum: the sum over the rest completes it (the kernel's checksum help).
        var sum = (ushort)~OnesSum(packet.AsSpan(start));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(field), sum);
        Assert.True(ChecksumsValid(packet));
        return packet;
    }

    private static void WritePartialChecksum(byte[] packet, int transportOffset, int checksumOffset)
    {
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(transportOffset + checksumOffset), (ushort)OnesSum(PseudoHeader(packet, transportOffset)));
    }

    private static Flow RandomFlow(Random random, int version, byte protocol)
    {
        var length = version == 4 ? 4 : 16;
        var source = new byte[length];
        var destination = new byte[length];
        random.NextBytes(source);
        random.NextBytes(destination);
        var tcpOptions = new byte[protocol == 6 ? random.Next(0, 11) * 4 : 0];
        random.NextBytes(tcpOptions);
        var ipOptions = version == 4 && random.Next(0, 5) == 0 ? new byte[] { 1, 1, 1, 0 } : [];
        return new Flow(version, protocol, source, destination, (ushort)random.Next(1, 65536), (ushort)random.Next(1, 65536))
        {
            Tos = (byte)(random.Next(0, 4) == 0 ? 0x02 : 0),
            Ttl = (byte)random.Next(1, 256),
            TcpOptions = tcpOptions,
            IPv4Options = ipOptions,
            Ack = (uint)random.Next(),
            Window = (ushort)random.Next(0, 65536),
        };
    }

    private static byte[] Payload(int length, int seed)
    {
        var payload = new byte[length];
        new Random(seed).NextBytes(payload);
        return payload;
    }
}
