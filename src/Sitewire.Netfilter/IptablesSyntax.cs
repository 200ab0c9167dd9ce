namespace Sitewire.Netfilter;

/// <summary>
/// A rule as the iptables command line writes it, in one order: <c>FORWARD -i X -o Y -p tcp --dport 22 -s S -d D -j DROP</c>.
/// What a fix tells the user to insert or delete, and what the lab puts in place, written from the same values verify evaluates.
/// </summary>
public static class IptablesSyntax
{
    /// <summary>The chain, the matches and the target: what follows <c>iptables -I</c>, <c>-A</c> or <c>-D</c>.</summary>
    public static string Rule(NetfilterRule rule) => $"{rule.Chain} {Spec(rule)}";

    /// <summary>The matches and the target.</summary>
    public static string Spec(NetfilterRule rule) => string.Join(' ', Words(rule));

    /// <summary>The rule as the words of one iptables command line: <c>-t TABLE</c> when not filter, then -A CHAIN and the spec.</summary>
    public static IReadOnlyList<string> AppendCommand(NetfilterRule rule) =>
        [.. rule.Table == "filter" ? [] : new[] { "-t", rule.Table }, "-A", rule.Chain, .. Words(rule)];

    private static IEnumerable<string> Words(NetfilterRule rule)
    {
        var matches = rule.Matches;
        string? Match(string key) => matches.TryGetValue(key, out var value) ? value : null;
        foreach (var (key, option) in new[] { ("iifname", "-i"), ("oifname", "-o"), ("l4proto", "-p"), ("dport", "--dport") })
        {
            if (Match(key) is { } value)
            {
                yield return option;
                yield return value;
            }
        }
        if (Match("icmptype") is { } icmpType)
        {
            yield return Match("l4proto") == "ipv6-icmp" ? "--icmpv6-type" : "--icmp-type";
            yield return icmpType;
        }
        foreach (var (key, option) in new[] { ("saddr", "-s"), ("daddr", "-d") })
        {
            if (Match(key) is { } value)
            {
                yield return option;
                yield return value;
            }
        }
        if (Match("tcpflags") == "syn")
        {
            yield return "--tcp-flags";
            yield return "SYN,RST";
            yield return "SYN";
        }
        if (Match("mss") is { } mss)
        {
            yield return "-m";
            yield return "tcpmss";
            yield return "--mss";
            yield return mss;
        }
        if (Match("ctstate") is { } state)
        {
            yield return "-m";
            yield return "conntrack";
            yield return "--ctstate";
            yield return state.ToUpperInvariant();
        }
        var unwritten = matches.Keys.Except(["iifname", "oifname", "l4proto", "dport", "icmptype", "saddr", "daddr", "tcpflags", "mss", "ctstate", "nfproto"]).ToList();
        if (unwritten.Count > 0)
        {
            throw new ArgumentException($"iptables syntax for the match {unwritten[0]} of `{rule.Text}` is not written here", nameof(rule));
        }
        yield return "-j";
        yield return rule.Verdict switch
        {
            var jump when jump.StartsWith("jump:", StringComparison.Ordinal) => jump[5..],
            NetfilterEvaluator.Clamp => "TCPMSS",
            var verdict => verdict.ToUpperInvariant(),
        };
        if (rule.MapsTo is { } to)
        {
            yield return "--to";
            yield return to;
        }
    }
}
