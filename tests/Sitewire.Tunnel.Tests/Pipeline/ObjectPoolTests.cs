using Sitewire.Tunnel.Pipeline;

namespace Sitewire.Tunnel.Tests.Pipeline;

public class ObjectPoolTests
{
    [Fact]
    public void What_a_burst_added_is_given_back_after_a_trim_interval_nothing_rented()
    {
        var pool = new ObjectPool<object>(capacity: 64, () => new object());
        var burst = new object[50];
        pool.Rent(burst, burst.Length);
        foreach (var item in burst)
        {
            pool.Return(item);
        }

        Assert.Equal(0, pool.Trim());
        Assert.Equal(50, pool.Count);
        Assert.Equal(50, pool.Trim());
        Assert.Equal(0, pool.Count);
    }

    [Fact]
    public void Objects_in_steady_use_are_kept_and_reused()
    {
        var created = 0;
        var pool = new ObjectPool<object>(capacity: 64, () => { created++; return new object(); });
        var burst = new object[50];
        pool.Rent(burst, burst.Length);
        foreach (var item in burst)
        {
            pool.Return(item);
        }
        pool.Trim();

        for (var interval = 0; interval < 5; interval++)
        {
            var inUse = new object[5];
            pool.Rent(inUse, inUse.Length);
            foreach (var item in inUse)
            {
                pool.Return(item);
            }
            pool.Trim();
        }

        Assert.Equal(5, pool.Count);
        Assert.Equal(50, created);
    }

    [Fact]
    public void The_pool_keeps_at_most_its_capacity()
    {
        var pool = new ObjectPool<object>(capacity: 4, () => new object());
        for (var i = 0; i < 10; i++)
        {
            pool.Return(new object());
        }

        Assert.Equal(4, pool.Count);
    }
}
