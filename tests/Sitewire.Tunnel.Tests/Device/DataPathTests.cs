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
}
