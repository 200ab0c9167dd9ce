using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Sitewire.Tunnel;

/// <summary>
/// Maps the random 32-bit local indexes we hand out (sender index in our handshake messages, the
/// receiver index peers put on their responses and transport messages) to what they belong to:
/// a handshake in progress, then the keypair derived from it. Lock-free reads for the packet path.
/// </summary>
internal sealed class IndexTable<TEntry>
    where TEntry : class
{
    private readonly ConcurrentDictionary<uint, TEntry> _entries = new();

    public int Count => _entries.Count;

    /// <summary>Registers <paramref name="entry"/> under a fresh random index that is not in use.</summary>
    public uint Add(TEntry entry)
    {
        Span<byte> random = stackalloc byte[4];
        while (true)
        {
            RandomNumberGenerator.Fill(random);
            var index = BitConverter.ToUInt32(random);
            if (_entries.TryAdd(index, entry))
            {
                return index;
            }
        }
    }

    /// <summary>Points an index in use at another entry (a handshake becomes a keypair); false when it is gone.</summary>
    public bool Replace(uint index, TEntry expected, TEntry entry) => _entries.TryUpdate(index, entry, expected);

    public bool TryGet(uint index, out TEntry entry) => _entries.TryGetValue(index, out entry!);

    /// <summary>Frees <paramref name="index"/> if it still maps to <paramref name="entry"/>.</summary>
    public void Remove(uint index, TEntry entry) => _entries.TryRemove(new KeyValuePair<uint, TEntry>(index, entry));
}

/// <summary>What one of our local indexes stands for: a peer's handshake in progress, or one of its keypairs.</summary>
internal sealed class Session(Peer peer, Keypair? keypair)
{
    public Peer Peer { get; } = peer;

    /// <summary>Null while the index names the peer's pending handshake.</summary>
    public Keypair? Keypair { get; } = keypair;
}
