using System.Net.Sockets;

namespace Sitewire.Tunnel.Io;

/// <summary>
/// The stream connections a local server (UAPI, metrics) serves at once, at most <c>capacity</c>: admitting one
/// more closes the oldest, so clients that connect and stall cannot lock out the next one (a <c>wg</c> call or a
/// scrape is over in milliseconds, so the oldest connection is a stalled one). Closing a connection ends the
/// receive its server is waiting in. <see cref="Dispose"/> closes them all. Thread-safe.
/// </summary>
public sealed class ConnectionSlots : IDisposable
{
    private readonly int _capacity;
    private readonly LinkedList<Socket> _open = [];
    private readonly Lock _lock = new();
    private bool _disposed;

    public ConnectionSlots(int capacity) => _capacity = capacity;

    /// <summary>Connections now admitted.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>
    /// Admits <paramref name="connection"/>, closing the oldest one when all slots are taken (<paramref name="evicted"/>);
    /// null (and the connection closed) once disposed. Pass the slot to <see cref="Release"/> when done.
    /// </summary>
    public LinkedListNode<Socket>? Admit(Socket connection, out bool evicted)
    {
        Socket? oldest = null;
        LinkedListNode<Socket>? slot = null;
        lock (_lock)
        {
            if (!_disposed)
            {
                if (_open.Count >= _capacity)
                {
                    oldest = _open.First!.Value;
                    _open.RemoveFirst();
                }
                slot = _open.AddLast(connection);
            }
        }
        evicted = oldest is not null;
        oldest?.Dispose();
        if (slot is null)
        {
            connection.Dispose();
        }
        return slot;
    }

    /// <summary>Frees the slot and closes its connection (if eviction has not already).</summary>
    public void Release(LinkedListNode<Socket> slot)
    {
        lock (_lock)
        {
            if (slot.List is not null)
            {
                _open.Remove(slot);
            }
        }
        slot.Value.Dispose();
    }

    public void Dispose()
    {
        List<Socket> open;
        lock (_lock)
        {
            _disposed = true;
            open = [.. _open];
            _open.Clear();
        }
        foreach (var connection in open)
        {
            connection.Dispose();
        }
    }
}
