using System.Buffers.Binary;
using System.Net;
using System.Runtime.CompilerServices;
using CsCheck;
using Sitewire.Tunnel.Routing;

namespace Sitewire.Tunnel.Tests.Routing;

public sealed class AllowedIpsTests
{
    private sealed class Owner(int id)
    {
        public int Id { get; } = id;

        public override string ToString() => "peer" + Id;
    }

    private static readonly Owner[] Owners = [.. Enumerable.Range(0, 6).Select(i => new Owner(i))];

    private enum Operation { Insert, Remove, RemoveAll }

    private readonly record struct Step(Operation Operation, int Owner, IPNetwork Prefix);

    /// <summary>Addresses from a small space so that prefixes overlap, nest and collide often.</summary>
    private static readonly Gen<byte[]> Address4 = Gen.Select(Gen.Int[0, 3], Gen.UInt, (top, rest) =>
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, ((uint)top << 30) | (rest & 0x3FFF_FFFF) & (rest % 3 == 0 ? 0xFFFF_0000u : 0xFFFF_FFFFu));
        return bytes;
    });

    private static readonly Gen<byte[]> Address6 = Gen.Select(Gen.Int[0, 3], Gen.Byte.Array[16], (top, rest) =>
    {
        rest[0] = (byte)(top << 6);
        if (rest[15] % 2 == 0)
        {
            rest.AsSpan(4).Clear();
        }
        return rest;
    });

    private static readonly Gen<IPNetwork> Prefix = Gen.OneOf(
        Gen.Select(Address4, Gen.Int[0, 32], Masked),
        Gen.Select(Address6, Gen.Int[0, 128], Masked));

    private static readonly Gen<Step> Steps = Gen.Select(Gen.Int[0, 9], Gen.Int[0, Owners.Length - 1], Prefix, (op, owner, prefix) =>
        new Step(op < 6 ? Operation.Insert : op < 9 ? Operation.Remove : Operation.RemoveAll, owner, prefix));

    private static IPNetwork Masked(byte[] address, int length)
    {
        var bytes = (byte[])address.Clone();
        for (var bit = length; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }
        return new IPNetwork(new IPAddress(bytes), length);
    }

    [Fact]
    public void Matches_a_naive_reference_on_random_inserts_removals_and_lookups()
    {
        Gen.Select(Steps.List[1, 120], Gen.OneOf(Address4, Address6).List[40]).Sample((steps, probes) =>
        {
            var trie = new AllowedIps<Owner>();
            var reference = new Dictionary<IPNetwork, Owner>();
            foreach (var step in steps)
            {
                var owner = Owners[step.Owner];
                switch (step.Operation)
                {
                    case Operation.Insert:
                        trie.Insert(step.Prefix, owner);
                        reference[step.Prefix] = owner;
                        break;
                    case Operation.Remove:
                        var owned = reference.TryGetValue(step.Prefix, out var current) && current == owner;
                        Assert.Equal(owned, trie.Remove(step.Prefix, owner));
                        if (owned)
                        {
                            reference.Remove(step.Prefix);
                        }
                        break;
                    case Operation.RemoveAll:
                        trie.RemoveAll(owner);
                        foreach (var prefix in reference.Where(p => p.Value == owner).Select(p => p.Key).ToList())
                        {
                            reference.Remove(prefix);
                        }
                        break;
                }
            }
            Assert.Equal(reference.Count, trie.Count);
            Assert.Equal(
                reference.Select(p => (p.Key, p.Value.Id)).OrderBy(p => p.ToString()),
                trie.Entries().Select(e => (e.Prefix, e.Peer.Id)).OrderBy(p => p.ToString()));
            var probeSet = probes.Concat(reference.Keys.Select(p => p.BaseAddress.GetAddressBytes()));
            foreach (var probe in probeSet)
            {
                var address = new IPAddress(probe);
                var expected = reference.Where(p => p.Key.Contains(address)).OrderByDescending(p => p.Key.PrefixLength).Select(p => p.Value).FirstOrDefault();
                Assert.Same(expected, trie.Lookup(probe));
            }
        }, iter: 2000);
    }

    [Fact]
    public void A_prefix_moves_to_the_last_peer_that_claims_it()
    {
        var trie = new AllowedIps<Owner>();
        var prefix = IPNetwork.Parse("10.0.0.0/24");
        trie.Insert(prefix, Owners[0]);
        trie.Insert(prefix, Owners[1]);
        Assert.Same(Owners[1], trie.Lookup(IPAddress.Parse("10.0.0.7").GetAddressBytes()));
        Assert.Empty(trie.PrefixesOf(Owners[0]));
        Assert.Equal([prefix], trie.PrefixesOf(Owners[1]));
        Assert.False(trie.Remove(prefix, Owners[0]));
        Assert.Equal(1, trie.Count);
    }

    [Theory]
    [InlineData("10.1.2.3", 1)]
    [InlineData("10.1.9.9", 0)]
    [InlineData("10.200.0.1", 2)]
    [InlineData("11.0.0.1", 3)]
    [InlineData("fd00::1", 4)]
    [InlineData("fd00:1::5", 5)]
    [InlineData("2001:db8::1", -1)]
    public void Longest_prefix_wins_in_both_families(string address, int expectedOwner)
    {
        var trie = new AllowedIps<Owner>();
        trie.Insert(IPNetwork.Parse("10.1.0.0/16"), Owners[0]);
        trie.Insert(IPNetwork.Parse("10.1.2.0/24"), Owners[1]);
        trie.Insert(IPNetwork.Parse("10.0.0.0/8"), Owners[2]);
        trie.Insert(IPNetwork.Parse("0.0.0.0/0"), Owners[3]);
        trie.Insert(IPNetwork.Parse("fd00::/16"), Owners[4]);
        trie.Insert(IPNetwork.Parse("fd00:1::/32"), Owners[5]);
        var found = trie.Lookup(IPAddress.Parse(address).GetAddressBytes());
        Assert.Equal(expectedOwner, found?.Id ?? -1);
    }

    [Fact]
    public void A_clone_is_independent_of_the_original()
    {
        var trie = new AllowedIps<Owner>();
        trie.Insert(IPNetwork.Parse("192.0.2.0/24"), Owners[0]);
        var copy = trie.Clone();
        copy.RemoveAll(Owners[0]);
        copy.Insert(IPNetwork.Parse("192.0.2.128/25"), Owners[1]);
        Assert.Same(Owners[0], trie.Lookup([192, 0, 2, 200]));
        Assert.Same(Owners[1], copy.Lookup([192, 0, 2, 200]));
        Assert.Null(copy.Lookup([192, 0, 2, 1]));
    }

    /// <summary>
    /// A lookup that allocated would allocate in every round; the runtime itself may allocate on this thread once while
    /// it compiles the loop or the lookup again (tiering, on-stack replacement — seen once under load), so one clean
    /// round of 10,000 lookups is the proof.
    /// </summary>
    [Fact]
    public void Lookup_does_not_allocate()
    {
        var trie = new AllowedIps<Owner>();
        for (var i = 0; i < 1000; i++)
        {
            trie.Insert(new IPNetwork(new IPAddress([10, (byte)(i >> 8), (byte)i, 0]), 24), Owners[i % Owners.Length]);
        }
        byte[] address = [10, 3, 7, 9];
        Assert.NotNull(trie.Lookup(address));

        long[] allocatedPerRound = [AllocatedByLookups(trie, address), AllocatedByLookups(trie, address), AllocatedByLookups(trie, address)];

        Assert.Contains(0L, allocatedPerRound);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long AllocatedByLookups(AllowedIps<Owner> trie, byte[] address)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            trie.Lookup(address);
        }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
