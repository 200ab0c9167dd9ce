namespace Sitewire.Tunnel.Pipeline;

/// <summary>
/// One peer's batches in the order they entered the pipeline, in one direction. Workers finish batches
/// in any order; whoever finishes one drains the ready batches from the head, so that the peer's
/// packets leave in order without a thread per peer.
/// </summary>
internal sealed class OrderedBatches
{
    public const int MaxBatches = 256;

    private readonly Queue<PacketBatch> _queue = new();
    private readonly Lock _queueLock = new();

    /// <summary>Held while a thread drains; the handler runs under it, one batch at a time.</summary>
    public Lock DrainLock { get; } = new();

    public bool TryEnqueue(PacketBatch batch)
    {
        lock (_queueLock)
        {
            if (_queue.Count >= MaxBatches)
            {
                return false;
            }
            _queue.Enqueue(batch);
            return true;
        }
    }

    /// <summary>Takes the head batch if its worker finished it.</summary>
    public bool TryTakeProcessed(out PacketBatch batch)
    {
        lock (_queueLock)
        {
            if (_queue.TryPeek(out batch!) && batch.Processed)
            {
                _queue.Dequeue();
                return true;
            }
            return false;
        }
    }
}
