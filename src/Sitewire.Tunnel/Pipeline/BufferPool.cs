using Sitewire.Tunnel.Io;

namespace Sitewire.Tunnel.Pipeline;

/// <summary>
/// Packet buffers of <see cref="PacketBuffers.BufferSize"/> bytes, reused between the I/O threads and
/// the workers. Renting never blocks (a miss allocates); the pool keeps at most <c>capacity</c> buffers.
/// </summary>
internal sealed class BufferPool(int capacity)
{
    private readonly Lock _lock = new();
    private readonly byte[][] _free = new byte[capacity][];
    private int _count;

    public byte[] Rent()
    {
        lock (_lock)
        {
            if (_count > 0)
            {
                var buffer = _free[--_count];
                _free[_count] = null!;
                return buffer;
            }
        }
        return new byte[PacketBuffers.BufferSize];
    }

    /// <summary>Fills <c>buffers[0..count]</c>.</summary>
    public void Rent(byte[][] buffers, int count)
    {
        var filled = 0;
        lock (_lock)
        {
            while (filled < count && _count > 0)
            {
                buffers[filled++] = _free[--_count];
                _free[_count] = null!;
            }
        }
        while (filled < count)
        {
            buffers[filled++] = new byte[PacketBuffers.BufferSize];
        }
    }

    public void Return(byte[] buffer)
    {
        lock (_lock)
        {
            if (_count < _free.Length)
            {
                _free[_count++] = buffer;
            }
        }
    }
}
