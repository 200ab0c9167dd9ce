namespace Sitewire.Tunnel.Tests.Device;

public sealed class IndexTableTests
{
    private sealed class Entry;

    [Fact]
    public void Indexes_are_random_and_never_collide()
    {
        var table = new IndexTable<Entry>();
        var entries = Enumerable.Range(0, 20_000).Select(_ => new Entry()).ToList();
        var indexes = entries.Select(table.Add).ToList();
        Assert.Equal(indexes.Count, indexes.Distinct().Count());
        Assert.Equal(20_000, table.Count);
        Assert.True(indexes.Max() > uint.MaxValue / 2 && indexes.Min() < uint.MaxValue / 2);
        for (var i = 0; i < entries.Count; i++)
        {
            Assert.True(table.TryGet(indexes[i], out var found));
            Assert.Same(entries[i], found);
        }
    }

    [Fact]
    public void Replace_and_remove_act_only_on_the_expected_entry()
    {
        var table = new IndexTable<Entry>();
        Entry handshake = new(), keypair = new(), stranger = new();
        var index = table.Add(handshake);
        Assert.False(table.Replace(index, stranger, keypair));
        Assert.True(table.Replace(index, handshake, keypair));
        table.Remove(index, handshake);
        Assert.True(table.TryGet(index, out var current));
        Assert.Same(keypair, current);
        table.Remove(index, keypair);
        Assert.False(table.TryGet(index, out _));
        Assert.False(table.Replace(index, keypair, handshake));
    }
}
