using Sitewire.Tunnel.Io;

namespace Sitewire.Tunnel.Pipeline;

/// <summary>
/// Packet buffers of <see cref="PacketBuffers.BufferSize"/> bytes, reused between the I/O threads and
/// the workers. Renting never blocks (a miss allocates); the pool keeps at most <c>capacity</c> buffers,
/// and <see cref="Trim"/> gives back those a burst added and nothing needed since.
/// Buffers are allocated uninitialized on the pinned heap: the I/O layer pins them for every system call,
/// and pages a packet never reaches are never touched, so a mostly small-packet 64 KiB buffer costs
/// little resident memory (as Go's unzeroed pools do for wireguard-go).
/// </summary>
internal sealed class BufferPool
{
    private readonly ObjectPool<byte[]> _free;
    private long _allocated;

    public BufferPool(int capacity) => _free = new ObjectPool<byte[]>(capacity, Allocate);

    /// <summary>Buffers created so far: grows only while more buffers are in use (or were trimmed) than ever before.</summary>
    public long Allocated => Interlocked.Read(ref _allocated);

    /// <summary>Free buffers now held.</summary>
    public int Pooled => _free.Count;

    public byte[] Rent() => _free.Rent();

    /// <summary>Fills <c>buffers[0..count]</c>.</summary>
    public void Rent(byte[][] buffers, int count) => _free.Rent(buffers, count);

    public void Return(byte[] buffer) => _free.Return(buffer);

    /// <inheritdoc cref="ObjectPool{T}.Trim"/>
    public int Trim() => _free.Trim();

    private byte[] Allocate()
    {
        Interlocked.Increment(ref _allocated);
        return GC.AllocateUninitializedArray<byte>(PacketBuffers.BufferSize, pinned: true);
    }
}
