using Sitewire.Tunnel.Io;

namespace Sitewire.Tunnel.Pipeline;

/// <summary>
/// Packet buffers of <see cref="PacketBuffers.BufferSize"/> bytes, reused between the I/O threads and
/// the workers. Renting never blocks (a miss allocates); the pool keeps at most <c>capacity</c> buffers.
/// Buffers are allocated uninitialized on the pinned heap: the I/O layer pins them for every system call,
/// and pages a packet never reaches are never touched, so a mostly small-packet 64 KiB buffer costs
/// little resident memory (as Go's unzeroed pools do for wireguard-go).
/// </summary>
internal sealed class BufferPool(int capacity)
{
    private readonly Lock _lock = new();
    private readonly byte[][] _free = new byte[capacity][];
    private int _count;
    private long _allocated;

    /// <summary>Buffers created so far: the pool's high-water mark of buffers in use.</summary>
    public long Allocated => Interlocked.Read(ref _allocated);

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
        return Allocate();
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
            buffers[filled++] = Allocate();
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

    private byte[] Allocate()
    {
        Interlocked.Increment(ref _allocated);
        return GC.AllocateUninitializedArray<byte>(PacketBuffers.BufferSize, pinned: true);
    }
}
