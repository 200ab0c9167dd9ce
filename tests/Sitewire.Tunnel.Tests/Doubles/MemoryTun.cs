using System.Collections.Concurrent;
using Sitewire.Tunnel.Io;

namespace Sitewire.Tunnel.Tests.Doubles;

/// <summary>An in-memory TUN device: tests <see cref="Inject"/> packets the device reads, and take the packets it writes.</summary>
public sealed class MemoryTun(string name = "mem0", int mtu = 1420, int batchSize = 16) : ITun
{
    private readonly BlockingCollection<byte[]> _toDevice = new(100_000);
    private readonly BlockingCollection<byte[]> _fromDevice = [];
    private readonly ReaderBacklog _backlog = new();
    private long _discarded;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name { get; } = name;

    public int Mtu { get; } = mtu;

    public int BatchSize { get; } = batchSize;

    public Task Closed => _closed.Task;

    /// <summary>A packet as if the kernel routed it into the interface.</summary>
    public void Inject(byte[] packet)
    {
        _backlog.Adding();
        _toDevice.Add(packet);
    }

    /// <summary>The next packet the device wrote, or null after <paramref name="timeout"/>.</summary>
    public byte[]? Take(TimeSpan timeout) => _fromDevice.TryTake(out var packet, timeout) ? packet : null;

    public int Written => _fromDevice.Count;

    /// <summary>When set, written packets are only counted: for measuring the receiver alone.</summary>
    public bool Discard { get; set; }

    public long Discarded => Interlocked.Read(ref _discarded);

    /// <summary>Injected packets the device has not finished reading and handling (see <see cref="ReaderBacklog"/>).</summary>
    public long Unfinished => _backlog.Unfinished;

    public int Read(byte[][] buffers, Span<int> sizes, int offset)
    {
        _backlog.ReaderReturned();
        byte[] packet;
        try
        {
            packet = _toDevice.Take();
        }
        catch (InvalidOperationException)
        {
            return 0;
        }
        var count = 0;
        do
        {
            packet.CopyTo(buffers[count], offset);
            sizes[count++] = packet.Length;
        }
        while (count < buffers.Length && _toDevice.TryTake(out packet!));
        _backlog.ReaderTook(count);
        return count;
    }

    public void Write(byte[][] buffers, ReadOnlySpan<int> sizes, int count, int offset)
    {
        if (Discard)
        {
            Interlocked.Add(ref _discarded, count);
            return;
        }
        for (var i = 0; i < count; i++)
        {
            _fromDevice.Add(buffers[i].AsSpan(offset, sizes[i]).ToArray());
        }
    }

    public void Dispose()
    {
        _toDevice.CompleteAdding();
        _closed.TrySetResult();
    }
}
