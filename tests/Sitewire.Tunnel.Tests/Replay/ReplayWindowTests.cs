using Sitewire.Tunnel.Replay;

namespace Sitewire.Tunnel.Tests.Replay;

public class ReplayWindowTests
{
    private const ulong Limit = ReplayWindow.WindowSize + 1;
    private static readonly ulong Reject = Constants.RejectAfterMessages;

    /// <summary>The kernel's counter self-test (wireguard-linux selftest/counter.c), first block, in order.</summary>
    public static TheoryData<ulong[], bool[]> KernelSequence => new()
    {
        {
            [
                0, 1, 1, 9, 8, 7, 7, Limit, Limit - 1, Limit - 1, Limit - 2, 2, 2, Limit + 16, 3, Limit + 16,
                Limit * 4, Limit * 4 - (Limit - 1), 10, Limit * 4 - Limit, Limit * 4 - (Limit + 1), Limit * 4 - (Limit - 2),
                Limit * 4 + 1 - Limit, 0, Reject, Reject - 1, Reject, Reject - 1, Reject - 2, Reject + 1, Reject + 2,
                Reject - 2, Reject - 3, 0,
            ],
            [
                true, true, false, true, true, true, false, true, true, false, true, true, false, true, false, false,
                true, true, false, false, false, true,
                false, false, false, true, false, false, true, false, false,
                false, true, false,
            ]
        },
    };

    [Theory]
    [MemberData(nameof(KernelSequence))]
    public void Kernel_self_test_sequence(ulong[] counters, bool[] expected)
    {
        Assert.Equal(counters.Length, expected.Length);
        var window = new ReplayWindow();
        for (var i = 0; i < counters.Length; i++)
        {
            Assert.True(expected[i] == window.TryAccept(counters[i]), $"test {i + 1}: counter {counters[i]} expected {expected[i]}");
        }
    }

    [Fact]
    public void Kernel_ascending_then_zero()
    {
        var window = new ReplayWindow();
        for (ulong i = 1; i <= ReplayWindow.WindowSize; i++)
        {
            Assert.True(window.TryAccept(i));
        }
        Assert.True(window.TryAccept(0));
        Assert.False(window.TryAccept(0));
    }

    [Fact]
    public void Kernel_ascending_from_two_then_one_then_zero()
    {
        var window = new ReplayWindow();
        for (ulong i = 2; i <= ReplayWindow.WindowSize + 1; i++)
        {
            Assert.True(window.TryAccept(i));
        }
        Assert.True(window.TryAccept(1));
        Assert.False(window.TryAccept(0));
    }

    [Fact]
    public void Kernel_descending_to_zero()
    {
        var window = new ReplayWindow();
        for (var i = ReplayWindow.WindowSize + 1; i-- > 0;)
        {
            Assert.True(window.TryAccept((ulong)i));
        }
    }

    [Fact]
    public void Kernel_descending_to_one_then_zero_is_too_old()
    {
        var window = new ReplayWindow();
        for (var i = ReplayWindow.WindowSize + 2; i-- > 1;)
        {
            Assert.True(window.TryAccept((ulong)i));
        }
        Assert.False(window.TryAccept(0));
    }

    [Fact]
    public void Kernel_descending_then_top_then_zero()
    {
        var window = new ReplayWindow();
        for (var i = ReplayWindow.WindowSize + 1; i-- > 1;)
        {
            Assert.True(window.TryAccept((ulong)i));
        }
        Assert.True(window.TryAccept(ReplayWindow.WindowSize + 1));
        Assert.False(window.TryAccept(0));
    }

    [Fact]
    public void Kernel_descending_then_zero_then_top()
    {
        var window = new ReplayWindow();
        for (var i = ReplayWindow.WindowSize + 1; i-- > 1;)
        {
            Assert.True(window.TryAccept((ulong)i));
        }
        Assert.True(window.TryAccept(0));
        Assert.True(window.TryAccept(ReplayWindow.WindowSize + 1));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Agrees_with_a_naive_set_model_on_random_traffic(int seed)
    {
        var random = new Random(seed);
        var window = new ReplayWindow();
        var model = new NaiveWindow();
        ulong greatest = 0;
        for (var step = 0; step < 200_000; step++)
        {
            var counter = random.Next(10) switch
            {
                0 => greatest + (ulong)random.Next(1, 20_000),
                1 => (ulong)random.Next(0, 100),
                _ => (ulong)Math.Max(0, (long)greatest + random.Next(-ReplayWindow.WindowSize - 200, 200)),
            };
            greatest = Math.Max(greatest, counter);
            Assert.True(model.TryAccept(counter) == window.TryAccept(counter), $"step {step}, counter {counter}");
        }
    }

    [Fact]
    public void Reset_forgets_everything()
    {
        var window = new ReplayWindow();
        Assert.True(window.TryAccept(5));
        window.Reset();
        Assert.True(window.TryAccept(5));
    }

    /// <summary>Accept a counter once, unless it is more than the window size behind the greatest accepted.</summary>
    private sealed class NaiveWindow
    {
        private readonly HashSet<ulong> _seen = [];
        private ulong? _greatest;

        public bool TryAccept(ulong counter)
        {
            if (counter >= Constants.RejectAfterMessages
                || (_greatest is { } greatest && counter + ReplayWindow.WindowSize < greatest)
                || !_seen.Add(counter))
            {
                return false;
            }
            _greatest = Math.Max(_greatest ?? 0, counter);
            return true;
        }
    }
}
