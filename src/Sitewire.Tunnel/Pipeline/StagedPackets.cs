namespace Sitewire.Tunnel.Pipeline;

/// <summary>
/// A peer's outbound packets waiting for a keypair: a bounded FIFO where a new packet pushes the
/// oldest out when full. Not thread-safe; the peer guards it.
/// </summary>
internal sealed class StagedPackets(int capacity)
{
    private readonly byte[][] _buffers = new byte[capacity][];
    private readonly int[] _sizes = new int[capacity];
    private int _head;

    public int Count { get; private set; }

    /// <summary>Appends a packet; returns the buffer pushed out to make room, or null.</summary>
    public byte[]? Add(byte[] buffer, int size)
    {
        byte[]? evicted = null;
        if (Count == _buffers.Length)
        {
            evicted = _buffers[_head];
            _head = (_head + 1) % _buffers.Length;
            Count--;
        }
        var tail = (_head + Count) % _buffers.Length;
        _buffers[tail] = buffer;
        _sizes[tail] = size;
        Count++;
        return evicted;
    }

    public bool TryTake(out byte[] buffer, out int size)
    {
        if (Count == 0)
        {
            buffer = null!;
            size = 0;
            return false;
        }
        buffer = _buffers[_head];
        size = _sizes[_head];
        _buffers[_head] = null!;
        _head = (_head + 1) % _buffers.Length;
        Count--;
        return true;
    }
}
