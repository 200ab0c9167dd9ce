namespace Sitewire.Crypto.Tests;

public class Tai64NTests
{
    [Fact]
    public void Unix_epoch_is_the_tai64_label_base_plus_ten_seconds()
    {
        var stamp = new byte[12];
        Tai64N.Write(DateTimeOffset.UnixEpoch, stamp);
        Assert.Equal("400000000000000a00000000", Convert.ToHexStringLower(stamp));
    }

    [Fact]
    public void Nanoseconds_are_whitened_and_later_times_compare_after()
    {
        var earlier = new byte[12];
        var later = new byte[12];
        var time = DateTimeOffset.UnixEpoch.AddSeconds(1_700_000_000).AddTicks(1234567);
        Tai64N.Write(time, earlier);
        Assert.Equal(0u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(earlier.AsSpan(8)) & 0xFFFFFFu);
        Tai64N.Write(time.AddMilliseconds(50), later);
        Assert.True(Tai64N.IsAfter(later, earlier));
        Assert.False(Tai64N.IsAfter(earlier, later));
        Assert.False(Tai64N.IsAfter(earlier, earlier));
    }
}
