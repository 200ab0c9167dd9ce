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

        Assert.True(table.TryMatch(Address.Parse(address), out _, out var value));
        Assert.Equal(expected, value);
    }

    [Fact]
    public void Setting_a_prefix_again_moves_it_to_the_last_value_as_wireguard_does()
    {
        var table = new PrefixTable<string>();
        table.Set(Prefix.Parse("10.1.0.0/16"), "first");
        table.Set(Prefix.Parse("10.1.0.0/16"), "last");

        Assert.True(table.TryMatch(Address.Parse("10.1.2.3"), out _, out var value));
        Assert.Equal("last", value);
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void Room_reserved_for_prefixes_matches_nothing_until_they_are_set()
    {
        var table = new PrefixTable<string>();
        table.Reserve([Prefix.Parse("10.1.0.0/16"), Prefix.Parse("fd00::/16"), Prefix.Parse("10.2.0.0/16")]);

        Assert.False(table.TryMatch(Address.Parse("10.1.2.3"), out _, out _));
        Assert.False(table.TryMatch(Address.Parse("fd00::1"), out _, out _));
        Assert.Equal(0, table.Count);

        table.Set(Prefix.Parse("fd00::/16"), "v6");
        table.Set(Prefix.Parse("10.1.0.0/16"), "v4");
        Assert.True(table.TryMatch(Address.Parse("10.1.2.3"), out _, out var v4));
        Assert.True(table.TryMatch(Address.Parse("fd00::1"), out _, out var v6));
        Assert.Equal(("v4", "v6"), (v4, v6));
        Assert.False(table.TryMatch(Address.Parse("10.2.0.1"), out _, out _));
    }

    [Fact]
    public void No_match_without_a_covering_prefix()
    {
        var table = new PrefixTable<int>();
        table.Set(Prefix.Parse("10.1.0.0/16"), 1);

        Assert.False(table.TryMatch(Address.Parse("10.2.0.1"), out _, out _));
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0/8")]
    [InlineData("10.0.0.256/8")]
    [InlineData("fd00::/129")]
    [InlineData("fd00:::1/64")]
    [InlineData("10.0.0.0/x")]
    public void Invalid_prefixes_are_rejected(string text) => Assert.False(Prefix.TryParse(text, out _));

    [Theory]
    [InlineData("192.168.200.254/24", "192.168.200.0/24")]
    [InlineData("fd00:5157:200::fe/64", "fd00:5157:200::/64")]
    [InlineData("fd00:5157:200::fe", "fd00:5157:200::fe/128")]
    [InlineData("10.1.2.3", "10.1.2.3/32")]
    public void Prefix_clears_host_bits(string text, string expected) => Assert.Equal(expected, Prefix.Parse(text).ToString());

    [Theory]
    [InlineData("fd00:1::5", "fd00:1::/64")]
    [InlineData("fd00:2::5", "fd00::/16")]
    [InlineData("2001:db8::1", "::/0")]
    [InlineData("10.0.0.1", "0.0.0.0/0")]
    [InlineData("10.1.0.1", "10.1.0.0/16")]
    public void Both_families_share_one_table_and_never_match_each_other(string address, string expected)
    {
        var table = new PrefixTable<string>();
        foreach (var prefix in new[] { "::/0", "fd00::/16", "fd00:1::/64", "0.0.0.0/0", "10.1.0.0/16" })
        {
            table.Set(Prefix.Parse(prefix), prefix);
        }

        Assert.True(table.TryMatch(Address.Parse(address), out var matched, out var value));
        Assert.Equal(expected, value);
        Assert.Equal(expected, matched.ToString());
    }

    [Fact]
    public void An_ipv6_default_does_not_cover_ipv4_nor_an_ipv4_default_ipv6()
    {
        var v6Only = new PrefixTable<int>();
        v6Only.Set(Prefix.AnyV6, 6);
        var v4Only = new PrefixTable<int>();
        v4Only.Set(Prefix.AnyV4, 4);

        Assert.False(v6Only.TryMatch(Address.Parse("192.0.2.1"), out _, out _));
        Assert.False(v4Only.TryMatch(Address.Parse("fd00::1"), out _, out _));
        Assert.False(Prefix.AnyV6.Contains(Address.Parse("192.0.2.1")));
        Assert.False(Prefix.Parse("::/64").Overlaps(Prefix.Parse("0.0.0.0/0")));
    }

    [Theory]
    [InlineData("10.0.0.1", true)]
    [InlineData("203.0.113.10", false)]
    [InlineData("fd00:5157::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("2001:db8::1", false)]
    [InlineData("::ffff:10.0.0.1", true)]
    public void Private_space_of_both_families_is_known(string address, bool isPrivate) =>
        Assert.Equal(isPrivate, Address.Parse(address).IsPrivate);
}
