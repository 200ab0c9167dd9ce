namespace Sitewire.Netfilter;

/// <summary>
/// A chain; base chains have a <c>Hook</c> (input, forward, postrouting, ...) and a <c>Policy</c> (accept/drop). <c>Legacy</c>:
/// it belongs to iptables-legacy's tables (x_tables), which the kernel runs beside nftables' own: a table "ip filter" may
/// exist in both, as two tables.
/// </summary>
public sealed record NetfilterChain(string Family, string Table, string Name, string? Hook, string? Type, string Policy, bool Legacy = false)
{
    /// <summary>Whether a rule belongs to this chain.</summary>
    public bool Holds(NetfilterRule rule) => rule.Family == Family && rule.Table == Table && rule.Chain == Name && rule.Legacy == Legacy;
}

/// <summary>
/// A rule reduced to what plan, verify and doctor reason about: matches keyed iifname, oifname, saddr, daddr, l4proto, dport,
/// ctstate, icmptype (echo-request), tcpflags, mss, dsttype (addrtype's --dst-type: local, unicast, multicast, broadcast), nfproto (ipv4/ipv6, also implied by an `ip`/`ip6` address match; a leading "!" on the key means "not equal"), and the verdict (accept, drop, reject, masquerade, snat,
/// dnat, netmap, jump:CHAIN, goto:CHAIN, return, or "" for none). <c>HasUnknownMatch</c>: a match the doctor cannot
/// evaluate (then it treats the rule as not applying and says so). <c>MapsTo</c>: the prefix a netmap translates into
/// (iptables <c>-j NETMAP --to P</c>, nftables <c>dnat|snat ip prefix to P</c>): the destination's in prerouting, the source's in postrouting;
/// for a dnat or snat, the address (<c>A</c> or <c>A:PORT</c>) it translates to, when known.
/// </summary>
public sealed record NetfilterRule(string Family, string Table, string Chain, IReadOnlyDictionary<string, string> Matches, string Verdict, bool HasUnknownMatch, string Text,
    string? MapsTo = null, bool Legacy = false)
{
    /// <summary>
    /// Whether both rules do the same, however they are written: same place, verdict and mapping, and the same matches,
    /// an nfproto its table's family implies left out, a match's values compared as a set, prefixes by value (nft prints a /32 set element as an address), port ranges
    /// whether written a:b (iptables) or a-b (nft), an echo request by name (nft) or number (iptables-save: 8, ICMPv6 128).
    /// <see cref="Text"/> is not compared.
    /// </summary>
    public bool Means(NetfilterRule other) =>
        Family == other.Family && Table == other.Table && Chain == other.Chain && Verdict == other.Verdict && Legacy == other.Legacy
        && HasUnknownMatch == other.HasUnknownMatch && Canonical(MapsTo).SetEquals(Canonical(other.MapsTo))
        && Stated().Count() == other.Stated().Count()
        && Stated().All(match => other.Matches.TryGetValue(match.Key, out var value) && Canonical(match.Value, match.Key).SetEquals(Canonical(value, match.Key)));

    /// <summary>The matches without an nfproto its table's family implies (nft lists `ip daddr` in an ip table with it, iptables-save without).</summary>
    private IEnumerable<KeyValuePair<string, string>> Stated() =>
        Matches.Where(match => !(match.Key == "nfproto" && (Family, match.Value) is ("ip", "ipv4") or ("ip6", "ipv6")));

    private static HashSet<string> Canonical(string? value, string key = "") =>
        [.. (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(item => key == "icmptype" && item is "8" or "128" ? "echo-request"
                : IpFamily.ParsePrefix(item) is { } prefix ? prefix.ToString() : item.Replace(':', '-').ToLowerInvariant())];
}

/// <summary>The firewall as seen by nft (including iptables-nft rules) and/or iptables-save (legacy backend).</summary>
public sealed record NetfilterRuleset(IReadOnlyList<NetfilterChain> Chains, IReadOnlyList<NetfilterRule> Rules)
{
    public static readonly NetfilterRuleset Empty = new([], []);

    public NetfilterRuleset Merge(NetfilterRuleset other) => new([.. Chains, .. other.Chains], [.. Rules, .. other.Rules]);

    /// <summary>The ruleset with <paramref name="chain"/> added, unless a chain of that name is there already (as `iptables -N` or nft's `add chain` leave it).</summary>
    public NetfilterRuleset With(NetfilterChain chain) =>
        Chain(chain.Family, chain.Table, chain.Name, chain.Legacy) is null ? this with { Chains = [.. Chains, chain] } : this;

    /// <summary>The ruleset with <paramref name="rule"/> first in its chain (`iptables -I`, nft `insert`).</summary>
    public NetfilterRuleset Inserted(NetfilterRule rule)
    {
        var first = Rules.ToList().FindIndex(r => r.Family == rule.Family && r.Table == rule.Table && r.Chain == rule.Chain && r.Legacy == rule.Legacy);
        return this with { Rules = first < 0 ? [.. Rules, rule] : [.. Rules.Take(first), rule, .. Rules.Skip(first)] };
    }

    /// <summary>The ruleset with <paramref name="rule"/> last in its chain (`iptables -A`, nft `add`).</summary>
    public NetfilterRuleset Appended(NetfilterRule rule) => this with { Rules = [.. Rules, rule] };

    public IEnumerable<NetfilterRule> RulesOf(NetfilterChain chain) => Rules.Where(chain.Holds);

    public NetfilterChain? Chain(string family, string table, string name, bool legacy = false) =>
        Chains.FirstOrDefault(c => c.Family == family && c.Table == table && c.Name == name && c.Legacy == legacy);

    /// <summary>The chain a rule jumps to from <paramref name="from"/>'s table, or null when it does not exist.</summary>
    public NetfilterChain? Chain(NetfilterRule from, string name) => Chain(from.Family, from.Table, name, from.Legacy);
}
