using System.Runtime.InteropServices;

namespace Sitewire.Tunnel.Io.Linux;

/// <summary>Pins a run of packet buffers for one batched system call (GC handles, no managed allocation).</summary>
internal readonly unsafe struct PinnedBuffers : IDisposable
{
    private const int MaxCount = 128;

    private readonly GCHandle[] _handles;
    private readonly int _count;

    public PinnedBuffers(byte[][] buffers, int start, int count)
    {
        _handles = Handles;
        _count = count;
        for (var i = 0; i < count; i++)
        {
            _handles[i] = GCHandle.Alloc(buffers[start + i], GCHandleType.Pinned);
        }
    }

    [ThreadStatic]
    private static GCHandle[]? t_handles;

    private static GCHandle[] Handles => t_handles ??= new GCHandle[MaxCount];

    public byte* Address(int index) => (byte*)_handles[index].AddrOfPinnedObject();

    public void Dispose()
    {
        for (var i = 0; i < _count; i++)
        {
            _handles[i].Free();
        }
    }
}
