namespace Sitewire.Tunnel.Pipeline;

/// <summary>
/// A bounded free list of reusable objects; a miss creates a new one. What a burst added is given back:
/// <see cref="Trim"/> lets go of the free objects that were not needed since the previous trim (the fewest
/// free at any moment in between), the least recently used first, for the garbage collector to reclaim.
/// </summary>
internal sealed class ObjectPool<T>(int capacity, Func<T> create)
    where T : class
{
    private readonly Lock _lock = new();
    private readonly T[] _free = new T[capacity];
    private int _count;
    private int _idleSinceTrim;

    /// <summary>Free objects now held.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    public T Rent()
    {
        lock (_lock)
        {
            if (_count > 0)
            {
                return TakeLocked();
            }
        }
        return create();
    }

    /// <summary>Fills <c>items[0..count]</c>.</summary>
    public void Rent(T[] items, int count)
    {
        var filled = 0;
        lock (_lock)
        {
            while (filled < count && _count > 0)
            {
                items[filled++] = TakeLocked();
            }
        }
        while (filled < count)
        {
            items[filled++] = create();
        }
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

    /// <summary>Drops the free objects none of the renters since the previous trim needed; returns how many.</summary>
    public int Trim()
    {
        lock (_lock)
        {
            var idle = Math.Min(_idleSinceTrim, _count);
            Array.Copy(_free, idle, _free, 0, _count - idle);
            Array.Clear(_free, _count - idle, idle);
            _count -= idle;
            _idleSinceTrim = _count;
            return idle;
        }
    }

    private T TakeLocked()
    {
        var item = _free[--_count];
        _free[_count] = null!;
        _idleSinceTrim = Math.Min(_idleSinceTrim, _count);
        return item;
    }
}
