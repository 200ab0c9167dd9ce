namespace Sitewire.Tunnel.Replay;

/// <summary>
/// The receive side's sliding window over transport counters (RFC 6479 as the kernel's counter_validate
/// implements it): a ring of 8192 bits in 64-bit words, of which 8128 form the window behind the greatest
/// counter seen; counters at or past <c>RejectAfterMessages</c> are never accepted.
/// Not thread-safe: call it for one keypair from one thread at a time, after the packet's tag verified
/// (the device validates counters on one thread per peer).
/// </summary>
public sealed class ReplayWindow
{
    public const int BitsTotal = 8192;
    public const int WindowSize = BitsTotal - WordBits;

    private const int WordBits = 64;
    private const int Words = BitsTotal / WordBits;
    private const int WordShift = 6;

    private readonly ulong[] _ring = new ulong[Words];
    private readonly ulong _rejectAfterMessages;
    private ulong _next;

    public ReplayWindow()
        : this(Constants.RejectAfterMessages)
    {
    }

    public ReplayWindow(ulong rejectAfterMessages)
    {
        _rejectAfterMessages = rejectAfterMessages;
    }

    /// <summary>True, and remembers the counter, when it was neither seen before nor is too old or too large.</summary>
    public bool TryAccept(ulong counter)
    {
        if (_next > _rejectAfterMessages || counter >= _rejectAfterMessages)
        {
            return false;
        }
        var position = counter + 1;
        if (position + WindowSize < _next)
        {
            return false;
        }
        var word = position >> WordShift;
        if (position > _next)
        {
            var current = _next >> WordShift;
            var stale = Math.Min(word - current, Words);
            for (ulong i = 1; i <= stale; i++)
            {
                _ring[(int)((current + i) & (Words - 1))] = 0;
            }
            _next = position;
        }
        ref var slot = ref _ring[(int)(word & (Words - 1))];
        var bit = 1UL << (int)(position & (WordBits - 1));
        if ((slot & bit) != 0)
        {
            return false;
        }
        slot |= bit;
        return true;
    }

    public void Reset()
    {
        Array.Clear(_ring);
        _next = 0;
    }
}
