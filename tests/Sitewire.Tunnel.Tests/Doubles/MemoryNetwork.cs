using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Sitewire.Tunnel.Io;

namespace Sitewire.Tunnel.Tests.Doubles;

/// <summary>
/// An in-memory UDP network: each <see cref="MemoryBind"/> registers at its address and port, and
/// datagrams go to the bind registered at the destination, stamped with the sender's endpoint.
/// A test may watch, drop or inject datagrams.
/// </summary>
public sealed class MemoryNetwork
{
    private readonly ConcurrentDictionary<Endpoint, MemoryBind> _binds = new();
    private int _nextPort = 40000;
    private long _delivered;
    private long _discarded;

    /// <summary>Datagrams delivered so far.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>When set, sent datagrams are only counted (no copy, no delivery): for measuring the sender alone.</summary>
    public bool Discard { get; set; }

    /// <summary>Datagrams counted while <see cref="Discard"/> was set.</summary>
    public long Discarded => Interlocked.Read(ref _discarded);

    /// <summary>Called for every datagram sent; returning false drops it.</summary>
    public Func<Endpoint, Endpoint, byte[], bool>? Filter { get; set; }

    public MemoryBind CreateBind(string address) => new(this, IPAddress.Parse(address));

    /// <summary>Delivers a datagram as if <paramref name="from"/> had sent it; false if nobody listens at <paramref name="to"/>.</summary>
    public bool Deliver(Endpoint from, Endpoint to, byte[] payload)
    {
        if (Filter is { } filter && !filter(from, to, payload))
        {
            return false;
        }
        var delivered = _binds.TryGetValue(to, out var bind) && bind.Enqueue(from, payload);
        if (delivered)
        {
            Interlocked.Increment(ref _delivered);
        }
        return delivered;
    }

    internal bool TryDiscard(int count)
    {
        if (!Discard)
        {
            return false;
        }
        Interlocked.Add(ref _discarded, count);
        return true;
    }

    internal ushort Register(MemoryBind bind, IPAddress address, ushort port)
    {
        if (port == 0)
        {
            port = (ushort)Interlocked.Increment(ref _nextPort);
        }
        var endpoint = Endpoint.FromIPEndPoint(new IPEndPoint(address, port));
        if (!_binds.TryAdd(endpoint, bind))
        {
            throw new SocketException((int)SocketError.AddressAlreadyInUse);
        }
        return port;
    }

    internal void Unregister(Endpoint endpoint) => _binds.TryRemove(endpoint, out _);
}

public sealed class MemoryBind : IBind
{
    private readonly MemoryNetwork _network;
    private readonly object _gate = new();
    private readonly ReaderBacklog _backlog = new();
    private BlockingCollection<(Endpoint From, byte[] Payload)> _inbox = new(10_000);
    private IPAddress _address;

    internal MemoryBind(MemoryNetwork network, IPAddress address)
    {
        _network = network;
        _address = address;
    }

    public int BatchSize => 16;

    /// <summary>Where this bind is registered; empty while closed.</summary>
    public Endpoint LocalEndpoint { get; private set; }

    public uint Mark { get; private set; }

    /// <summary>Datagrams delivered here that the device has not finished receiving and handling (see <see cref="ReaderBacklog"/>).</summary>
    public long Unfinished => _backlog.Unfinished;

    public int Opens { get; private set; }

    public ushort Open(ushort port)
    {
        lock (_gate)
        {
            var registered = _network.Register(this, _address, port);
            CloseLocked();
            _inbox = new(10_000);
            LocalEndpoint = Endpoint.FromIPEndPoint(new IPEndPoint(_address, registered));
            Opens++;
            return registered;
        }
    }

    /// <summary>Re-opens at another address on the same port: the host roamed.</summary>
    public void MoveTo(string address)
    {
        lock (_gate)
        {
            var port = LocalEndpoint.Port;
            CloseLocked();
            _address = IPAddress.Parse(address);
            var registered = _network.Register(this, _address, port);
            _inbox = new(10_000);
            LocalEndpoint = Endpoint.FromIPEndPoint(new IPEndPoint(_address, registered));
        }
    }

    public void Close()
    {
        lock (_gate)
        {
            CloseLocked();
        }
    }

    /// <summary>When set, <see cref="SetMark"/> throws it (as SO_MARK without CAP_NET_ADMIN would) and keeps the mark.</summary>
    public Exception? MarkRefusal { get; set; }

    public void SetMark(uint mark) => Mark = MarkRefusal is { } refusal ? throw refusal : mark;

    public int Receive(byte[][] buffers, Span<int> sizes, Span<Endpoint> endpoints)
    {
        _backlog.ReaderReturned();
        var inbox = Volatile.Read(ref _inbox);
        (Endpoint From, byte[] Payload) datagram;
        try
        {
            datagram = inbox.Take();
        }
        catch (InvalidOperationException)
        {
            return 0;
        }
        var count = 0;
        do
        {
            datagram.Payload.CopyTo(buffers[count], 0);
            sizes[count] = datagram.Payload.Length;
            endpoints[count++] = datagram.From;
        }
        while (count < buffers.Length && inbox.TryTake(out datagram));
        _backlog.ReaderTook(count);
        return count;
    }

    public bool Send(byte[][] buffers, ReadOnlySpan<int> sizes, int count, int offset, Endpoint endpoint)
    {
        if (_network.TryDiscard(count))
        {
            return true;
        }
        var from = LocalEndpoint;
        for (var i = 0; i < count; i++)
        {
            _network.Deliver(from, endpoint, buffers[i].AsSpan(offset, sizes[i]).ToArray());
        }
        return true;
    }

    public void Dispose() => Close();

    internal bool Enqueue(Endpoint from, byte[] payload)
    {
        _backlog.Adding();
        bool added;
        try
        {
            added = Volatile.Read(ref _inbox).TryAdd((from, payload));
        }
        catch (InvalidOperationException)
        {
            added = false;
        }
        if (!added)
        {
            _backlog.Discarded();
        }
        return added;
    }

    private void CloseLocked()
    {
        if (!LocalEndpoint.IsEmpty)
        {
            _network.Unregister(LocalEndpoint);
            LocalEndpoint = default;
        }
        _inbox.CompleteAdding();
        // A closed socket's queue is gone: the reader never gets what is left in it.
        while (_inbox.TryTake(out _))
        {
            _backlog.Discarded();
        }
    }
}
