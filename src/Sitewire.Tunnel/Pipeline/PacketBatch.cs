using Sitewire.Tunnel.Io;

namespace Sitewire.Tunnel.Pipeline;

/// <summary>
/// Up to <see cref="Capacity"/> packets of one peer on one keypair, travelling together from an I/O
/// thread through a crypto worker to the peer's sequential sender or receiver. Outbound, a packet's
/// plaintext starts at <see cref="HeaderRoom"/> and is sealed in place into a transport message at 0;
/// inbound, a transport message at 0 is opened in place, its plaintext at <see cref="HeaderRoom"/>.
/// </summary>
internal sealed class PacketBatch
{
    public const int Capacity = 128;
    public const int HeaderRoom = Constants.MessageTransportHeaderSize;

    public readonly byte[][] Buffers = new byte[Capacity][];
    public readonly int[] Sizes = new int[Capacity];
    public readonly ulong[] Counters = new ulong[Capacity];
    public readonly bool[] Valid = new bool[Capacity];
    public readonly Endpoint[] Sources = new Endpoint[Capacity];

    private volatile bool _processed;

    public int Count;
    public bool IsOutbound;
    public Peer Peer = null!;
    public Keypair Keypair = null!;

    public bool IsFull => Count == Capacity;

    /// <summary>Outbound: at least one packet is not a keepalive.</summary>
    public bool HasData;

    /// <summary>Set by the worker after sealing or opening every packet; read by the sequential stage.</summary>
    public bool Processed
    {
        get => _processed;
        set => _processed = value;
    }

    public void Reset(Peer peer, Keypair keypair, bool isOutbound)
    {
        Peer = peer;
        Keypair = keypair;
        IsOutbound = isOutbound;
        Count = 0;
        HasData = false;
        _processed = false;
    }

    /// <summary>Outbound: a plaintext packet of <paramref name="size"/> bytes at <see cref="HeaderRoom"/> with its send counter.</summary>
    public void Add(byte[] buffer, int size, ulong counter)
    {
        Buffers[Count] = buffer;
        Sizes[Count] = size;
        Counters[Count] = counter;
        HasData |= size > 0;
        Count++;
    }

    /// <summary>Inbound: a whole transport message from <paramref name="source"/>.</summary>
    public void Add(byte[] buffer, int size, Endpoint source)
    {
        Buffers[Count] = buffer;
        Sizes[Count] = size;
        Sources[Count] = source;
        Count++;
    }

    /// <summary>Gives the buffers back to <paramref name="pool"/> and forgets peer and keypair.</summary>
    public void Release(BufferPool pool)
    {
        for (var i = 0; i < Count; i++)
        {
            pool.Return(Buffers[i]);
            Buffers[i] = null!;
        }
        Count = 0;
        Peer = null!;
        Keypair = null!;
    }
}
