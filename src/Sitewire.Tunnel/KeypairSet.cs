namespace Sitewire.Tunnel;

/// <summary>
/// A peer's keypairs (whitepaper 5.4.7): <see cref="Current"/> sends; <see cref="Previous"/> still
/// receives packets in flight; <see cref="Next"/> is a responder's new keypair that becomes current
/// when the first transport message arrives on it (the initiator's confirmation).
/// Writers hold the set's lock; the packet path reads <see cref="Current"/> without locking.
/// Every method returns the keypairs it retired, for the caller to clear and unindex.
/// </summary>
internal sealed class KeypairSet
{
    private readonly Lock _lock = new();
    private volatile Keypair? _current;
    private Keypair? _previous;
    private Keypair? _next;

    public Keypair? Current => _current;

    public Keypair? Next
    {
        get
        {
            lock (_lock)
            {
                return _next;
            }
        }
    }

    public Keypair? Previous
    {
        get
        {
            lock (_lock)
            {
                return _previous;
            }
        }
    }

    /// <summary>
    /// Adds a keypair fresh from a handshake. The initiator's becomes current at once (the old current,
    /// or an unconfirmed next, becomes previous); the responder's waits as next.
    /// </summary>
    public void Install(Keypair keypair, List<Keypair> retired)
    {
        lock (_lock)
        {
            if (keypair.IsInitiator)
            {
                if (_next is not null)
                {
                    Retire(_previous, retired);
                    _previous = _next;
                    _next = null;
                    Retire(_current, retired);
                }
                else
                {
                    Retire(_previous, retired);
                    _previous = _current;
                }
                _current = keypair;
            }
            else
            {
                Retire(_next, retired);
                _next = keypair;
                Retire(_previous, retired);
                _previous = null;
            }
        }
    }

    /// <summary>A transport message arrived on <paramref name="keypair"/>: when it is next, it becomes current. True when it did.</summary>
    public bool Confirm(Keypair keypair, List<Keypair> retired)
    {
        lock (_lock)
        {
            if (!ReferenceEquals(keypair, _next))
            {
                return false;
            }
            Retire(_previous, retired);
            _previous = _current;
            _current = _next;
            _next = null;
            return true;
        }
    }

    public void RetireAll(List<Keypair> retired)
    {
        lock (_lock)
        {
            Retire(_previous, retired);
            Retire(_current, retired);
            Retire(_next, retired);
            _previous = _current = _next = null;
        }
    }

    private static void Retire(Keypair? keypair, List<Keypair> retired)
    {
        if (keypair is not null)
        {
            retired.Add(keypair);
        }
    }
}
