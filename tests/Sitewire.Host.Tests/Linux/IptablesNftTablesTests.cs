using System.Text.Json.Nodes;
using Sitewire.Host.Linux;
using Sitewire.Netfilter;

namespace Sitewire.Host.Tests.Linux;

public class IptablesNftTablesTests
{
    private static readonly Func<IpFamily, string?> RecordedSave = family => Recorded.Read($"home-seed.{family.Iptables}-save.txt");

    [Fact]
    public void Nft_shows_the_conntrack_match_of_iptables_nft_without_its_arguments()
    {
        var json = Recorded.Read("home-seed.nft.json");

        var conntrack = Assert.Single(NftJson.Parse(json).Rules, r => r is { Family: "ip", Chain: "FORWARD", HasUnknownMatch: true });

        Assert.Equal("accept", conntrack.Verdict);
        Assert.Empty(conntrack.Matches);
        Assert.Contains("xt match conntrack", conntrack.Text, StringComparison.Ordinal);
        Assert.Equal([("ip", "filter"), ("ip6", "filter"), ("ip", "nat")], NftJson.TablesWithXtExpressions(json));
    }

    [Fact]
    public void Tables_with_xt_expressions_are_read_from_iptables_save_with_their_conntrack_states()
    {
        var ruleset = IptablesNftTables.Read(Recorded.Read("home-seed.nft.json"), RecordedSave);

        Assert.All(ruleset.Rules, r => Assert.False(r.HasUnknownMatch, r.Text));
        Assert.Equal(
            ["related,established", "related,established"],
            ruleset.Rules.Where(r => r.Chain == "FORWARD" && r.Matches.ContainsKey("ctstate")).Select(r => r.Matches["ctstate"]));
        Assert.Equal(["ip", "ip6"], ruleset.Rules.Where(r => r.Matches.ContainsKey("ctstate")).Select(r => r.Family));
        Assert.Equal(1, ruleset.Chains.Count(c => c is { Family: "ip", Table: "filter", Name: "FORWARD", Policy: "drop" }));
        Assert.Equal(3, ruleset.Rules.Count(r => r is { Family: "ip", Table: "nat", Verdict: "masquerade" }));
        Assert.All(ruleset.Rules, r => Assert.StartsWith(r.Family == "ip6" ? "ip6tables -t " : "iptables -t ", r.Text, StringComparison.Ordinal));
    }

    [Fact]
    public void Nft_native_tables_stay_as_nft_shows_them()
    {
        var json = JsonNode.Parse(Recorded.Read("home-seed.nft.json"))!;
        var items = json["nftables"]!.AsArray();
        items.Add(JsonNode.Parse("""{"chain": {"family": "inet", "table": "sitewire_fw", "name": "forward", "type": "filter", "hook": "forward", "prio": 0, "policy": "accept"}}"""));
        items.Add(JsonNode.Parse("""{"rule": {"family": "inet", "table": "sitewire_fw", "chain": "forward", "expr": [{"match": {"op": "==", "left": {"meta": {"key": "iifname"}}, "right": "ens3"}}, {"accept": null}]}}"""));

        var ruleset = IptablesNftTables.Read(json.ToJsonString(), RecordedSave);

        var native = Assert.Single(ruleset.Rules, r => r.Family == "inet");
        Assert.Equal(("sitewire_fw", "ens3", "accept"), (native.Table, native.Matches["iifname"], native.Verdict));
        Assert.Single(ruleset.Chains, c => c.Family == "inet");
    }

    [Fact]
    public void A_table_iptables_save_does_not_print_stays_as_nft_shows_it_with_its_rule_marked_not_understood()
    {
        var ruleset = IptablesNftTables.Read(Recorded.Read("home-seed.nft.json"), family => family == IpFamily.V4 ? RecordedSave(family) : null);

        var conntrack = Assert.Single(ruleset.Rules, r => r.HasUnknownMatch);
        Assert.Equal(("ip6", "FORWARD"), (conntrack.Family, conntrack.Chain));
    }
}
