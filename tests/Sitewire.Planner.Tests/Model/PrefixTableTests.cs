using Sitewire.Planner.Model;

namespace Sitewire.Planner.Tests.Model;

public class PrefixTableTests
{
    [Theory]
    [InlineData("172.17.50.1", "172.17.50.0/24")]
    [InlineData("172.17.9.9", "172.17.0.0/16")]
    [InlineData("10.0.0.1", "0.0.0.0/0")]
    [InlineData("172.17.50.7", "172.17.50.7/32")]
    public void Longest_prefix_wins(string address, string expected)
    {
        var table = new PrefixTable<string>();
        foreach (var prefix in new[] { "0.0.0.0/0", "172.17.0.0/16", "172.17.50.0/24", "172.17.50.7/32" })
        {
            table.Set(Prefix.Parse(prefix), prefix);
        }

        Assert.True(table.TryMatch(Ipv4.Parse(address), out _, out var value));
        Assert.Equal(expected, value);
    }

    [Fact]
    public void Setting_a_prefix_again_moves_it_to_the_last_value_as_wireguard_does()
    {
        var table = new PrefixTable<string>();
        table.Set(Prefix.Parse("10.1.0.0/16"), "first");
        table.Set(Prefix.Parse("10.1.0.0/16"), "last");

        Assert.True(table.TryMatch(Ipv4.Parse("10.1.2.3"), out _, out var value));
        Assert.Equal("last", value);
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void No_match_without_a_covering_prefix()
    {
        var table = new PrefixTable<int>();
        table.Set(Prefix.Parse("10.1.0.0/16"), 1);

        Assert.False(table.TryMatch(Ipv4.Parse("10.2.0.1"), out _, out _));
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0/8")]
    [InlineData("10.0.0.256/8")]
    [InlineData("fd00::/8")]
    [InlineData("10.0.0.0/x")]
    public void Invalid_prefixes_are_rejected(string text) => Assert.False(Prefix.TryParse(text, out _));

    [Fact]
    public void Prefix_clears_host_bits()
    {
        Assert.Equal("192.168.200.0/24", Prefix.Parse("192.168.200.254/24").ToString());
    }
}
