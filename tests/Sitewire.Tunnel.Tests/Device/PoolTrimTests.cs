namespace Sitewire.Tunnel.Tests.Device;

public sealed class PoolTrimTests
{
    /// <summary>A burst's packet buffers go back to the garbage collector once two trim intervals pass without their use.</summary>
    [Fact]
    public void A_device_gives_back_the_packet_buffers_of_a_burst()
    {
        using var pair = new DevicePair();
        var burst = Enumerable.Range(0, 1000).Select(_ => pair.A.RentBuffer()).ToArray();
        foreach (var buffer in burst)
        {
            pair.A.ReturnBuffer(buffer);
        }
        Assert.Equal(1000, pair.A.BuffersPooled);

        pair.Time.Advance(Tunnel.Device.PoolTrimInterval);
        pair.Time.Advance(Tunnel.Device.PoolTrimInterval);

        Assert.Equal(0, pair.A.BuffersPooled);
        Assert.Empty(pair.Errors);
    }
}
