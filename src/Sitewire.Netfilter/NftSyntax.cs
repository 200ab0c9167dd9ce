using System.Globalization;
using System.Net;
using System.Text;

namespace Sitewire.Netfilter;

/// <summary>
/// A rule as an nft statement, written from its value in one order: <c>meta nfproto</c> (when no address names the family),
/// interfaces, addresses (a list as an anonymous set), the protocol's match, the MSS clamp's, conntrack state, the verdict.
/// <c>name</c> writes an interface name as an nft string (which has no escapes: the plan passes one that refuses a name that
/// cannot be one; a live name is quoted as it is). An MSS clamp sets the
/// route's MTU, or A - 1 when it matches an MSS from A up; a prefix map is a dnat at prerouting and an snat at postrouting.
/// </summary>
public static class NftSyntax
{
    /// <summary>The order nft prints conntrack states in.</summary>
    private static readonly string[] StateOrder = ["invalid", "established", "related", "new", "untracked"];

    private static readonly string[] Written = ["nfproto", "iifname", "oifname", "saddr", "daddr", "l4proto", "dport", "icmptype", "tcpflags", "mss", "ctstate"];

    /// <param name="hook">The hook of the rule's chain: a prefix map is a dnat at prerouting, an snat elsewhere.</param>
    public static string Statement(NetfilterRule rule, string? hook, Func<string, string>? name = null)
    {
        name ??= interfaceName => $"\"{interfaceName}\"";
        var unwritten = rule.Matches.Keys.Except(Written).ToList();
        if (unwritten.Count > 0)
        {
            throw new ArgumentException($"nft syntax for the match {unwritten[0]} of `{rule.Text}` is not written here", nameof(rule));
        }
        string? Match(string key) => rule.Matches.TryGetValue(key, out var value) ? value : null;
        var words = new List<string>();
        var address = Match("saddr") ?? Match("daddr");
        if (Match("nfproto") is { } nfproto && address is null)
        {
            words.Add($"meta nfproto {nfproto}");
        }
        foreach (var key in new[] { "iifname", "oifname" })
        {
            if (Match(key) is { } interfaceName)
            {
                words.Add($"{key} {name(interfaceName)}");
            }
        }
        foreach (var key in new[] { "saddr", "daddr" })
        {
            if (Match(key) is { } prefixes)
            {
                words.Add($"{AddressFamily(prefixes)} {key} {Set(prefixes)}");
            }
        }
        var protocol = Match("l4proto");
        if (Match("dport") is { } port)
        {
            words.Add($"{protocol} dport {Set(port)}");
        }
        else if (Match("icmptype") is { } icmpType)
        {
            words.Add($"{(protocol == "ipv6-icmp" ? "icmpv6" : "icmp")} type {icmpType}");
        }
        else if (Match("tcpflags") is not null)
        {
            words.Add("tcp flags syn / syn,rst");
        }
        else if (protocol is not null)
        {
            words.Add($"meta l4proto {protocol}");
        }
        if (Match("mss") is { } mss)
        {
            words.Add($"tcp option maxseg size {mss.Replace(':', '-')}");
        }
        if (Match("ctstate") is { } state)
        {
            words.Add($"ct state {string.Join(',', state.Split(',').OrderBy(s => Array.IndexOf(StateOrder, s)))}");
        }
        words.Add(rule.Verdict switch
        {
            NetfilterEvaluator.Clamp => Match("mss") is { } range
                ? $"tcp option maxseg size set {int.Parse(range.Split(':', '-')[0], CultureInfo.InvariantCulture) - 1}"
                : "tcp option maxseg size set rt mtu",
            "netmap" => $"{(hook == "prerouting" ? "dnat" : "snat")} {AddressFamily(rule.MapsTo!)} prefix to {rule.MapsTo}",
            "dnat" or "snat" when rule.MapsTo is { } to => $"{rule.Verdict} {(rule.Family == "inet" ? TargetFamily(to) + " " : "")}to {to}",
            var jump when jump.StartsWith("jump:", StringComparison.Ordinal) => $"jump {jump[5..]}",
            var verdict => verdict,
        });
        return string.Join(' ', words);
    }

    /// <summary>Every table of the ruleset as <see cref="Table"/> writes it, one a line: a script for <c>nft -f</c>.</summary>
    public static string Script(NetfilterRuleset ruleset) =>
        string.Concat(ruleset.Chains.Select(c => (c.Family, c.Table)).Distinct()
            .Select(table => Table(ruleset, table.Family, table.Table) + "\n"));

    /// <summary>
    /// One table as one nft statement: its chains (a base chain with type, hook, priority and policy) and their rules in order,
    /// <c>table F T { chain C { type … hook … priority P; policy …; RULE; … }; … }</c>. <paramref name="priority"/> defaults to
    /// <see cref="DefaultPriority"/>; <paramref name="name"/> writes interface names, as in <see cref="Statement"/>.
    /// </summary>
    public static string Table(NetfilterRuleset ruleset, string family, string table, Func<NetfilterChain, string>? priority = null, Func<string, string>? name = null)
    {
        priority ??= DefaultPriority;
        var text = new StringBuilder($"table {family} {table} {{");
        foreach (var chain in ruleset.Chains.Where(c => c.Family == family && c.Table == table))
        {
            text.Append(CultureInfo.InvariantCulture, $" chain {chain.Name} {{");
            if (chain.Hook is { } hook)
            {
                text.Append(CultureInfo.InvariantCulture, $" type {chain.Type} hook {hook} priority {priority(chain)}; policy {chain.Policy};");
            }
            foreach (var rule in ruleset.RulesOf(chain))
            {
                text.Append(CultureInfo.InvariantCulture, $" {Statement(rule, chain.Hook, name)};");
            }
            text.Append(" };");
        }
        return text.Append(" }").ToString();
    }

    /// <summary>NAT at the usual dstnat (-100) before routing and srcnat (100) after it, anything else at 0.</summary>
    public static string DefaultPriority(NetfilterChain chain) =>
        chain.Type != "nat" ? "0" : chain.Hook is "prerouting" or "output" ? "-100" : "100";

    private static string TargetFamily(string to) =>
        IPEndPoint.TryParse(to, out var endPoint) && endPoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "ip6" : "ip";

    private static string AddressFamily(string prefixes) => prefixes.Contains(':', StringComparison.Ordinal) ? "ip6" : "ip";

    private static string Set(string values)
    {
        var items = values.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return items.Length == 1 ? items[0] : $"{{ {string.Join(", ", items)} }}";
    }
}
