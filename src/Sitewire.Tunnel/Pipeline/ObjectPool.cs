namespace Sitewire.Tunnel.Pipeline;

/// <summary>A bounded free list of reusable objects; a miss creates a new one.</summary>
internal sealed class ObjectPool<T>(int capacity, Func<T> create)
    where T : class
{
    private readonly Lock _lock = new();
    private readonly T[] _free = new T[capacity];
    private int _count;

    public T Rent()
    {
        lock (_lock)
        {
            if (_count > 0)
            {
                var item = _free[--_count];
                _free[_count] = null!;
                return item;
            }
        }
        return create();
    }

    public void Return(T item)
    {
        lock (_lock)
        {
            if (_count < _free.Length)
            {
                _free[_count++] = item;
            }
        }
    }
}
