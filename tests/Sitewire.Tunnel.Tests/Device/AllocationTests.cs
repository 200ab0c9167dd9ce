using Sitewire.Tunnel.Tests.Doubles;

namespace Sitewire.Tunnel.Tests.Device;

/// <summary>Measures process-wide allocations, so it runs alone.</summary>
[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
[Collection(nameof(AllocationTests))]
public sealed class AllocationTests
{
    /// <summary>TUN read, peer lookup, staging, sealing and the batched send: amortized zero; the bound leaves room for the test harness and the test doubles.</summary>
    [Fact]
    public void Sending_packets_allocates_nothing_per_packet()
    {
        using var pair = new DevicePair(systemClock: true);
        pair.Connect();
        var packets = Enumerable.Range(0, 200).Select(i => Packets.WithSequence("10.0.0.1", "10.0.0.2", i, size: 1300)).ToArray();
        pair.Network.Discard = true;
        Send(pair, packets, rounds: 50);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        Send(pair, packets, rounds: 100);
        var perPacket = (double)(GC.GetTotalAllocatedBytes(precise: true) - before) / (100 * packets.Length);

        Assert.True(perPacket < 16, $"{perPacket:F1} bytes allocated per packet");
        Assert.Equal(0, pair.A.Counters.TotalDrops);
    }

    private static void Send(DevicePair pair, byte[][] packets, int rounds)
    {
        for (var round = 0; round < rounds; round++)
        {
            var target = pair.Network.Discarded + packets.Length;
            foreach (var packet in packets)
            {
                pair.TunA.Inject(packet);
            }
            Assert.True(DevicePair.Eventually(() => pair.Network.Discarded >= target));
        }
    }
}
