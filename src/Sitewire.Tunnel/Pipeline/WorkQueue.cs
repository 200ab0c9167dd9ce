namespace Sitewire.Tunnel.Pipeline;

/// <summary>
/// Batches waiting for a crypto worker, bounded so that a fast producer does the work itself instead of growing memory,
/// consumed by <c>workers</c> threads until disposed. An idle worker sleeps in <see cref="Monitor.Wait(object)"/> and
/// is woken by the batch that needs it: no spinning (BlockingCollection's semaphore spins before it sleeps, which cost
/// a fifth of the daemon's CPU samples under load, all in workers waiting for work).
/// </summary>
internal sealed class WorkQueue : IDisposable
{
    private readonly object _gate = new();
    private readonly Queue<PacketBatch> _queue;
    private readonly int _capacity;
    private readonly Thread[] _threads;
    private readonly Action<PacketBatch> _process;
    private int _sleeping;
    private bool _completed;

    public WorkQueue(int workers, int capacity, Action<PacketBatch> process, string name)
    {
        _capacity = capacity;
        _queue = new Queue<PacketBatch>(capacity);
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
        lock (_gate)
        {
            if (_completed || _queue.Count >= _capacity)
            {
                return false;
            }
            _queue.Enqueue(batch);
            if (_sleeping > 0)
            {
                Monitor.Pulse(_gate);
            }
            return true;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _completed = true;
            Monitor.PulseAll(_gate);
        }
        foreach (var thread in _threads)
        {
            if (thread.IsAlive)
            {
                thread.Join(TimeSpan.FromSeconds(5));
            }
        }
    }

    private void Run()
    {
        while (Take() is { } batch)
        {
            _process(batch);
        }
    }

    /// <summary>The next batch, sleeping while there is none; null once completed and drained.</summary>
    private PacketBatch? Take()
    {
        lock (_gate)
        {
            while (_queue.Count == 0)
            {
                if (_completed)
                {
                    return null;
                }
                _sleeping++;
                Monitor.Wait(_gate);
                _sleeping--;
            }
            return _queue.Dequeue();
        }
    }
}
