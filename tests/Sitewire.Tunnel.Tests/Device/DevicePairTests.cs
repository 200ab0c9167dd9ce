using Sitewire.Tunnel.Tests.Doubles;

namespace Sitewire.Tunnel.Tests.Device;

/// <summary>The harness's idle signal, which every fake-clock test relies on to read results only once the devices are done.</summary>
public sealed class DevicePairTests
{
    [Fact]
    public void The_pair_is_not_idle_while_a_device_thread_is_still_sending_and_settles_only_after_it()
    {
        using var pair = new DevicePair();
        bool? idleWhileSending = null;
        pair.Network.Filter = (from, _, payload) =>
        {
            if (from == DevicePair.EndpointA && payload[0] == 1)
            {
                idleWhileSending ??= pair.IsIdle();
            }
            return false;
        };

        pair.TunA.Inject(Packets.WithSequence("10.0.0.1", "10.0.0.2", 1));
        pair.Settle();

        Assert.False(idleWhileSending);
        Assert.True(pair.IsIdle());
    }

    [Fact]
    public void The_clock_does_not_move_while_a_device_thread_is_still_reacting()
    {
        using var pair = new DevicePair();
        using var sending = new ManualResetEventSlim();
        var clockMovedWhileSending = (bool?)null;
        pair.Network.Filter = (from, _, payload) =>
        {
            if (from == DevicePair.EndpointA && payload[0] == 1 && !sending.IsSet)
            {
                var before = pair.Time.GetUtcNow();
                sending.Set();
                Thread.Sleep(50); // the device thread is preempted mid-send, as on a loaded machine
                clockMovedWhileSending = pair.Time.GetUtcNow() != before;
            }
            return false;
        };
        pair.TunA.Inject(Packets.WithSequence("10.0.0.1", "10.0.0.2", 1));
        Assert.True(sending.Wait(DevicePair.Wait));

        pair.Advance(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(0.25));

        Assert.False(clockMovedWhileSending);
    }
}
