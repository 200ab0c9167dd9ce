using Sitewire.Netfilter;

namespace Sitewire.Host.Linux;

/// <summary>
/// The firewall as nft sees it, with the tables iptables-nft wrote using its extensions read from `iptables-save` /
/// `ip6tables-save` instead: nft shows `-m conntrack --ctstate ESTABLISHED,RELATED` only as
/// `{"xt":{"type":"match","name":"conntrack"}}` without its arguments, while iptables-save prints the rule faithfully.
/// nft-native tables (inet, firewalld's, the planner's) and iptables-nft tables without extensions stay as nft shows them;
/// an `xt` table whose iptables-save output is missing stays too, its rules marked as not understood.
/// </summary>
public static class IptablesNftTables
{
    /// <param name="nftJson">`nft -j list ruleset`.</param>
    /// <param name="iptablesSave">The family's `iptables-save` (nf_tables backend) output, or null when it cannot be read.</param>
    public static NetfilterRuleset Read(string nftJson, Func<IpFamily, string?> iptablesSave)
    {
        var ruleset = NftJson.Parse(nftJson);
        var xtTables = NftJson.TablesWithXtExpressions(nftJson);
        foreach (var family in IpFamily.Both)
        {
            var tables = xtTables.Where(t => t.Family == family.Nft).Select(t => t.Table).ToHashSet();
            if (tables.Count > 0 && iptablesSave(family) is { } saved)
            {
                ruleset = Replace(ruleset, family.Nft, tables, IptablesSave.Parse(saved, family.Nft));
            }
        }
        return ruleset;
    }

    /// <summary>The ruleset with each named table of the family taken from <paramref name="saved"/>, where saved holds it.</summary>
    private static NetfilterRuleset Replace(NetfilterRuleset ruleset, string family, IReadOnlySet<string> tables, NetfilterRuleset saved)
    {
        var replaced = tables.Where(table => saved.Chains.Any(c => c.Family == family && c.Table == table)).ToHashSet();
        bool Replaced(string chainFamily, string table) => chainFamily == family && replaced.Contains(table);
        return new NetfilterRuleset(
            [.. ruleset.Chains.Where(c => !Replaced(c.Family, c.Table)), .. saved.Chains.Where(c => Replaced(c.Family, c.Table))],
            [.. ruleset.Rules.Where(r => !Replaced(r.Family, r.Table)), .. saved.Rules.Where(r => Replaced(r.Family, r.Table))]);
    }
}
