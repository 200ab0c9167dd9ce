using System.Collections.Concurrent;

namespace Sitewire.Tunnel.Pipeline;

/// <summary>
/// Batches waiting for a crypto worker, bounded so that a fast producer does the work itself instead of growing memory,
/// consumed by <c>workers</c> threads until disposed.
/// </summary>
internal sealed class WorkQueue : IDisposable
{
    private readonly BlockingCollection<PacketBatch> _queue;
    private readonly Thread[] _threads;
    private readonly Action<PacketBatch> _process;

    public WorkQueue(int workers, int capacity, Action<PacketBatch> process, string name)
    {
        _queue = new BlockingCollection<PacketBatch>(capacity);
        _process = process;
        _threads = new Thread[Math.Max(1, workers)];
        for (var i = 0; i < _threads.Length; i++)
        {
            _threads[i] = new Thread(Run) { IsBackground = true, Name = $"{name} {i}" };
        }
    }

    public void Start()
    {
        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    /// <summary>False when the queue is full or completed: the caller then processes the batch itself.</summary>
    public bool TryAdd(PacketBatch batch)
    {
        try
        {
            return _queue.TryAdd(batch);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        foreach (var thread in _threads)
        {
            if (thread.IsAlive)
            {
                thread.Join(TimeSpan.FromSeconds(5));
            }
        }
        _queue.Dispose();
    }

    private void Run()
    {
        foreach (var batch in _queue.GetConsumingEnumerable())
        {
            _process(batch);
        }
    }
}
