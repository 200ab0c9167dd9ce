using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Sitewire.Tunnel.Routing;

/// <summary>
/// Cryptokey routing table: a path-compressed binary trie per address family mapping prefixes to
/// peers, with longest-prefix match. A prefix belongs to one peer; inserting it for another peer
/// moves it (as in WireGuard). Not thread-safe for writers: the device mutates a <see cref="Clone"/>
/// and publishes it, so that readers on the packet path never lock and never allocate.
/// </summary>
public sealed class AllowedIps<TPeer>
    where TPeer : class
{
    private const int IPv4Bits = 32;
    private const int IPv6Bits = 128;

    private Node? _ipv4;
    private Node? _ipv6;

    public int Count { get; private set; }

    /// <summary>The peer owning the longest prefix that contains <paramref name="address"/> (4 or 16 bytes).</summary>
    public TPeer? Lookup(ReadOnlySpan<byte> address)
    {
        if (address.Length == 4)
        {
            return Lookup(_ipv4, (UInt128)BinaryPrimitives.ReadUInt32BigEndian(address) << 96, IPv4Bits);
        }
        return address.Length == 16 ? Lookup(_ipv6, BinaryPrimitives.ReadUInt128BigEndian(address), IPv6Bits) : null;
    }

    public void Insert(IPNetwork prefix, TPeer peer)
    {
        var (key, cidr, isIPv6) = Decompose(prefix);
        ref var root = ref isIPv6 ? ref _ipv6 : ref _ipv4;
        Insert(ref root, key, cidr, peer);
    }

    /// <summary>Removes <paramref name="prefix"/> if <paramref name="peer"/> owns it; returns whether it did.</summary>
    public bool Remove(IPNetwork prefix, TPeer peer)
    {
        var (key, cidr, isIPv6) = Decompose(prefix);
        ref var root = ref isIPv6 ? ref _ipv6 : ref _ipv4;
        var removed = Remove(ref root, key, cidr, peer);
        if (removed)
        {
            Count--;
        }
        return removed;
    }

    /// <summary>Removes every prefix owned by <paramref name="peer"/>.</summary>
    public void RemoveAll(TPeer peer)
    {
        RemoveAll(ref _ipv4, peer);
        RemoveAll(ref _ipv6, peer);
    }

    public IEnumerable<IPNetwork> PrefixesOf(TPeer peer)
    {
        foreach (var (prefix, owner) in Entries())
        {
            if (ReferenceEquals(owner, peer))
            {
                yield return prefix;
            }
        }
    }

    /// <summary>Every prefix with its peer, IPv4 first, each family in key order.</summary>
    public IEnumerable<(IPNetwork Prefix, TPeer Peer)> Entries()
    {
        var stack = new Stack<(Node Node, bool IsIPv6)>();
        if (_ipv6 is not null)
        {
            stack.Push((_ipv6, true));
        }
        if (_ipv4 is not null)
        {
            stack.Push((_ipv4, false));
        }
        while (stack.Count > 0)
        {
            var (node, isIPv6) = stack.Pop();
            if (node.Peer is not null)
            {
                yield return (Compose(node.Key, node.Cidr, isIPv6), node.Peer);
            }
            if (node.Right is not null)
            {
                stack.Push((node.Right, isIPv6));
            }
            if (node.Left is not null)
            {
                stack.Push((node.Left, isIPv6));
            }
        }
    }

    public AllowedIps<TPeer> Clone() => new() { _ipv4 = _ipv4?.DeepCopy(), _ipv6 = _ipv6?.DeepCopy(), Count = Count };

    private static TPeer? Lookup(Node? node, UInt128 key, int maxBits)
    {
        TPeer? found = null;
        while (node is not null && Matches(node, key))
        {
            if (node.Peer is not null)
            {
                found = node.Peer;
            }
            if (node.Cidr == maxBits)
            {
                break;
            }
            node = BitAt(key, node.Cidr) == 0 ? node.Left : node.Right;
        }
        return found;
    }

    private void Insert(ref Node? slot, UInt128 key, int cidr, TPeer peer)
    {
        while (true)
        {
            var node = slot;
            if (node is null)
            {
                slot = new Node(key, cidr, peer);
                Count++;
                return;
            }
            var common = CommonBits(node.Key, key);
            if (node.Cidr == cidr && common >= cidr)
            {
                if (node.Peer is null)
                {
                    Count++;
                }
                node.Peer = peer;
                return;
            }
            if (node.Cidr < cidr && common >= node.Cidr)
            {
                slot = ref node.Child(BitAt(key, node.Cidr));
                continue;
            }
            var split = Math.Min(common, cidr);
            if (split == cidr)
            {
                var parent = new Node(key, cidr, peer);
                parent.Child(BitAt(node.Key, cidr)) = node;
                slot = parent;
            }
            else
            {
                var fork = new Node(Mask(key, split), split, null);
                fork.Child(BitAt(node.Key, split)) = node;
                fork.Child(BitAt(key, split)) = new Node(key, cidr, peer);
                slot = fork;
            }
            Count++;
            return;
        }
    }

    private static bool Remove(ref Node? slot, UInt128 key, int cidr, TPeer peer)
    {
        var node = slot;
        if (node is null || node.Cidr > cidr || CommonBits(node.Key, key) < node.Cidr)
        {
            return false;
        }
        bool removed;
        if (node.Cidr == cidr)
        {
            removed = ReferenceEquals(node.Peer, peer);
            if (removed)
            {
                node.Peer = null;
            }
        }
        else
        {
            removed = Remove(ref node.Child(BitAt(key, node.Cidr)), key, cidr, peer);
        }
        if (removed)
        {
            Compact(ref slot);
        }
        return removed;
    }

    private void RemoveAll(ref Node? slot, TPeer peer)
    {
        var node = slot;
        if (node is null)
        {
            return;
        }
        RemoveAll(ref node.Left, peer);
        RemoveAll(ref node.Right, peer);
        if (ReferenceEquals(node.Peer, peer))
        {
            node.Peer = null;
            Count--;
        }
        Compact(ref slot);
    }

    /// <summary>A node without a peer only stays while it forks two subtrees.</summary>
    private static void Compact(ref Node? slot)
    {
        var node = slot!;
        if (node.Peer is not null || (node.Left is not null && node.Right is not null))
        {
            return;
        }
        slot = node.Left ?? node.Right;
    }

    private static bool Matches(Node node, UInt128 key) =>
        node.Cidr == 0 || ((node.Key ^ key) >> (IPv6Bits - node.Cidr)) == UInt128.Zero;

    private static int CommonBits(UInt128 a, UInt128 b) => (int)UInt128.LeadingZeroCount(a ^ b);

    private static int BitAt(UInt128 key, int index) => (int)(key >> (IPv6Bits - 1 - index)) & 1;

    private static UInt128 Mask(UInt128 key, int cidr) => cidr == 0 ? UInt128.Zero : key & (UInt128.MaxValue << (IPv6Bits - cidr));

    private static (UInt128 Key, int Cidr, bool IsIPv6) Decompose(IPNetwork prefix)
    {
        Span<byte> bytes = stackalloc byte[16];
        var address = prefix.BaseAddress;
        address.TryWriteBytes(bytes, out var written);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var key = (UInt128)BinaryPrimitives.ReadUInt32BigEndian(bytes) << 96;
            return (Mask(key, prefix.PrefixLength), prefix.PrefixLength, false);
        }
        return (Mask(BinaryPrimitives.ReadUInt128BigEndian(bytes[..written]), prefix.PrefixLength), prefix.PrefixLength, true);
    }

    private static IPNetwork Compose(UInt128 key, int cidr, bool isIPv6)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, key);
        var address = isIPv6 ? new IPAddress(bytes) : new IPAddress(bytes[..4]);
        return new IPNetwork(address, cidr);
    }

    private sealed class Node(UInt128 key, int cidr, TPeer? peer)
    {
        public readonly UInt128 Key = key;
        public readonly int Cidr = cidr;
        public TPeer? Peer = peer;
        public Node? Left;
        public Node? Right;

        public ref Node? Child(int bit) => ref bit == 0 ? ref Left : ref Right;

        public Node DeepCopy() => new(Key, Cidr, Peer) { Left = Left?.DeepCopy(), Right = Right?.DeepCopy() };
    }
}
