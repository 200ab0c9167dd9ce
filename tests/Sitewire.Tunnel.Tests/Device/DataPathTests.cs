using Sitewire.Tunnel.Tests.Doubles;

namespace Sitewire.Tunnel.Tests.Device;

public sealed class DataPathTests
{
    [Fact]
    public void First_packet_triggers_a_handshake_and_arrives_ipv4_and_ipv6_both_ways()
    {
        using var pair = new DevicePair();
        var v4 = Packets.WithSequence("10.0.0.1", "10.0.0.2", 1);
        Assert.Equal(v4, pair.SendAToB(v4));
        var v4Back = Packets.WithSequence("10.0.0.2", "10.0.0.1", 2);
        Assert.Equal(v4Back, pair.SendBToA(v4Back));
        var v6 = Packets.WithSequence("fd00::1", "fd00::2", 3, size: 1000);
        Assert.Equal(v6, pair.SendAToB(v6));
        var v6Back = Packets.WithSequence("fd00::2", "fd00::1", 4, size: 4);
        Assert.Equal(v6Back, pair.SendBToA(v6Back));
        Assert.Equal(1, pair.A.Counters.HandshakesCompleted);
        Assert.Equal(1, pair.B.Counters.HandshakesCompleted);
        Assert.Equal(0, pair.A.Counters.TotalDrops);
        Assert.Equal(0, pair.B.Counters.TotalDrops);
    }

    [Fact]
    public void A_burst_of_thousands_of_packets_arrives_complete_and_in_order()
    {
        using var pair = new DevicePair();
        pair.Connect();
        const int Count = 5000;
        for (var i = 1; i <= Count; i++)
        {
            pair.TunA.Inject(Packets.WithSequence("10.0.0.1", "10.0.0.2", i, size: 200 + (i % 700)));
        }
        for (var i = 1; i <= Count; i++)
        {
            var packet = pair.TunB.Take(DevicePair.Wait);
            Assert.NotNull(packet);
            Assert.Equal(i, Packets.SequenceOf(packet));
        }
        Assert.Equal(0, pair.B.Counters.TotalDrops);
    }

    /// <summary>
    /// Eight crypto workers finishing one peer's small batches both ways at once, whoever finishes one draining the peer's
    /// queue: every packet arrives, in order, none dropped.
    /// </summary>
    [Fact]
    public void Small_batches_finished_by_many_workers_both_ways_arrive_complete_and_in_order()
    {
        using var pair = new DevicePair(workers: 8);
        pair.Connect();
        const int Rounds = 200;
        const int Burst = 100;
        for (var round = 0; round < Rounds; round++)
        {
            for (var i = 1; i <= Burst; i++)
            {
                pair.TunA.Inject(Packets.WithSequence("10.0.0.1", "10.0.0.2", round * Burst + i, size: 60));
                pair.TunB.Inject(Packets.WithSequence("10.0.0.2", "10.0.0.1", round * Burst + i, size: 60));
            }
            foreach (var (tun, name) in new[] { (pair.TunB, "B"), (pair.TunA, "A") })
            {
                for (var i = 1; i <= Burst; i++)
                {
                    var packet = tun.Take(DevicePair.Wait);
                    Assert.True(packet is not null, $"packet {round * Burst + i} did not reach {name}");
                    Assert.Equal(round * Burst + i, Packets.SequenceOf(packet));
                }
            }
        }
        Assert.Equal(0, pair.A.Counters.TotalDrops + pair.B.Counters.TotalDrops);
        Assert.Empty(pair.Errors);
    }

    [Fact]
    public void A_packet_with_a_spoofed_inner_source_is_dropped_and_counted()
    {
        using var pair = new DevicePair();
        pair.Connect();
        pair.TunA.Inject(Packets.WithSequence("10.0.0.99", "10.0.0.2", 7));
        pair.TunA.Inject(Packets.WithSequence("10.0.0.1", "10.0.0.2", 8));
        var delivered = pair.TunB.Take(DevicePair.Wait);
        Assert.NotNull(delivered);
        Assert.Equal(8, Packets.SequenceOf(delivered));
        Assert.Equal(1, pair.B.Counters[DropReason.SourceNotAllowed]);
        Assert.Equal(1, pair.PeerAOnB.Counters[DropReason.SourceNotAllowed]);
        Assert.Equal(0, pair.TunB.Written);
    }

    [Fact]
    public void A_packet_to_an_address_no_peer_claims_is_dropped_as_no_route()
    {
        using var pair = new DevicePair();
        pair.TunA.Inject(Packets.WithSequence("10.0.0.1", "10.9.9.9", 1));
        Assert.True(DevicePair.Eventually(() => pair.A.Counters[DropReason.NoRoute] == 1));
        Assert.Equal(0, pair.Network.Delivered);
    }

    [Fact]
    public void The_endpoint_follows_the_peer_when_it_roams()
    {
        using var pair = new DevicePair();
        pair.Connect();
        pair.BindB.MoveTo("198.51.100.7");
        Assert.NotNull(pair.SendBToA(Packets.WithSequence("10.0.0.2", "10.0.0.1", 1)));
        Assert.Equal("198.51.100.7:51821", pair.PeerBOnA.Endpoint.ToString());
        var reply = Packets.WithSequence("10.0.0.1", "10.0.0.2", 2);
        Assert.Equal(reply, pair.SendAToB(reply));
        Assert.Equal("198.51.100.7:51821", pair.A.GetState().Peers.Single().Endpoint.ToString());
    }

    [Fact]
    public void Transfer_counters_count_whole_udp_payloads_as_wireguard_go_does()
    {
        using var pair = new DevicePair();
        pair.Connect();
        var before = pair.PeerBOnA.TxBytes;
        var received = pair.PeerAOnB.RxBytes;
        Assert.NotNull(pair.SendAToB(Packets.Create("10.0.0.1", "10.0.0.2", new byte[80])));
        // 100-byte packet, padded to 112, plus 16-byte header and 16-byte tag.
        Assert.Equal(before + 144, pair.PeerBOnA.TxBytes);
        Assert.True(DevicePair.Eventually(() => pair.PeerAOnB.RxBytes == received + 144));
        var state = pair.A.GetState().Peers.Single();
        Assert.Equal(pair.PeerBOnA.TxBytes, state.TxBytes);
        Assert.NotNull(state.LastHandshake);
    }
}
