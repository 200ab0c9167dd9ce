namespace Sitewire.Tunnel.Tests.Doubles;

/// <summary>
/// What a double's single reader thread has not finished with: items queued for it, plus the batch it took
/// last until it comes back for the next one (by then it has handled that batch or handed it to counted work).
/// </summary>
internal sealed class ReaderBacklog
{
    private long _unfinished;
    private int _lastBatch;

    public long Unfinished => Interlocked.Read(ref _unfinished);

    /// <summary>Call before the item becomes visible to the reader, so that it is never in flight uncounted.</summary>
    public void Adding() => Interlocked.Increment(ref _unfinished);

    /// <summary>An item counted by <see cref="Adding"/> that the reader will never get.</summary>
    public void Discarded() => Interlocked.Decrement(ref _unfinished);

    /// <summary>The reader asks for more: it is done with the batch it took last.</summary>
    public void ReaderReturned() => Interlocked.Add(ref _unfinished, -Interlocked.Exchange(ref _lastBatch, 0));

    public void ReaderTook(int count) => Interlocked.Exchange(ref _lastBatch, count);
}
