using System.Net;
using CsCheck;
using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Tests.Plan;

public sealed class PrefixAggregatorTests
{
    [Theory]
    [InlineData("10.0.0.0/24,10.0.1.0/24", "10.0.0.0/23")]
    [InlineData("10.0.1.0/24,10.0.2.0/24", "10.0.1.0/24,10.0.2.0/24")]
    [InlineData("10.0.0.0/24,10.0.1.0/24,10.0.2.0/24,10.0.3.0/24", "10.0.0.0/22")]
    [InlineData("10.0.0.0/16,10.0.5.0/24", "10.0.0.0/16")]
    [InlineData("172.18.3.0/24,172.17.50.0/24", "172.17.50.0/24,172.18.3.0/24")]
    [InlineData("10.0.0.0/24,fd00::/64", "10.0.0.0/24,fd00::/64")]
    public void Merges_only_what_covers_exactly_the_same_addresses(string input, string expected)
    {
        var merged = PrefixAggregator.Merge(input.Split(',').Select(IPNetwork.Parse));

        Assert.Equal(expected, string.Join(",", merged));
    }

    [Fact]
    public void The_merged_prefixes_cover_exactly_the_addresses_of_the_input()
    {
        var prefix = from third in Gen.Int[0, 15] from fourth in Gen.Int[0, 3] from length in Gen.Int[22, 26]
                     select new IPNetwork(IPAddress.Parse($"10.0.{third}.{fourth * 64}"), length) is var candidate && TryCanonical(candidate, out var canonical) ? canonical : IPNetwork.Parse("10.0.0.0/26");
        prefix.List[0, 12].Sample(input =>
        {
            var merged = PrefixAggregator.Merge(input);
            for (var host = 0; host < 4096; host += 7)
            {
                var address = new IPAddress([10, 0, (byte)(host / 256), (byte)(host % 256)]);
                Assert.Equal(input.Any(p => p.Contains(address)), merged.Any(p => p.Contains(address)));
            }
            Assert.True(merged.Count <= input.Distinct().Count());
        }, iter: 200);
    }

    private static bool TryCanonical(IPNetwork candidate, out IPNetwork canonical) =>
        IPNetwork.TryParse($"{candidate.BaseAddress}/{candidate.PrefixLength}", out canonical);
}
