using System.Globalization;

namespace Sitewire.Netfilter;

/// <summary>
/// A rule as the iptables command line writes it, with its matches in the order `iptables-save` prints them:
/// <c>FORWARD -s S -d D -i X -o Y -p tcp --dport 22 -j DROP</c>. What the plan's PostUp adds and deletes, what a fix tells the
/// user to insert, and what the lab puts in place, all written from the values verify evaluates. An MSS clamp's target is
/// read off its matches: a SYN whose MSS is matched from A up gets A - 1, any other the route's MTU.
/// </summary>
public static class IptablesSyntax
{
    /// <summary>The order iptables-save prints conntrack states in.</summary>
    private static readonly string[] StateOrder = ["invalid", "new", "related", "established", "untracked"];

    private static readonly string[] Written = ["saddr", "daddr", "iifname", "oifname", "l4proto", "dport", "icmptype", "tcpflags", "mss", "ctstate", "nfproto"];

    /// <summary>The chain, the matches and the target: what follows <c>iptables -I</c>, <c>-A</c> or <c>-D</c>.</summary>
    public static string Rule(NetfilterRule rule) => $"{rule.Chain} {Spec(rule)}";

    /// <summary>
    /// The matches and the target. <paramref name="name"/> writes an interface or chain name as the command needs it (wg-quick's
    /// <c>%i</c>, a quoted word); <paramref name="comment"/> goes before the target as <c>-m comment --comment</c>.
    /// </summary>
    public static string Spec(NetfilterRule rule, Func<string, string>? name = null, string? comment = null) =>
        string.Join(' ', Words(rule, name ?? (n => n), comment));

    /// <summary>The rule as the words of one iptables command line: <c>-t TABLE</c> when not filter, then -A CHAIN and the spec.</summary>
    public static IReadOnlyList<string> AppendCommand(NetfilterRule rule) =>
        [.. rule.Table == "filter" ? [] : new[] { "-t", rule.Table }, "-A", rule.Chain, .. Words(rule, n => n, null)];

    private static IEnumerable<string> Words(NetfilterRule rule, Func<string, string> name, string? comment)
    {
        var unwritten = rule.Matches.Keys.Except(Written).ToList();
        if (unwritten.Count > 0)
        {
            throw new ArgumentException($"iptables syntax for the match {unwritten[0]} of `{rule.Text}` is not written here", nameof(rule));
        }
        string? Match(string key) => rule.Matches.TryGetValue(key, out var value) ? value : null;
        foreach (var (key, option, isName) in new[] { ("saddr", "-s", false), ("daddr", "-d", false), ("iifname", "-i", true), ("oifname", "-o", true), ("l4proto", "-p", false), ("dport", "--dport", false) })
        {
            if (Match(key) is { } value)
            {
                yield return option;
                yield return isName ? name(value) : value;
            }
        }
        if (Match("icmptype") is { } icmpType)
        {
            yield return Match("l4proto") == "ipv6-icmp" ? "--icmpv6-type" : "--icmp-type";
            yield return icmpType;
        }
        if (Match("tcpflags") is not null)
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
            yield return string.Join(',', state.Split(',').OrderBy(s => Array.IndexOf(StateOrder, s)).Select(s => s.ToUpperInvariant()));
        }
        if (comment is not null)
        {
            yield return "-m";
            yield return "comment";
            yield return "--comment";
            yield return comment;
        }
        yield return "-j";
        switch (rule.Verdict)
        {
            case var jump when jump.StartsWith("jump:", StringComparison.Ordinal):
                yield return name(jump[5..]);
                break;
            case NetfilterEvaluator.Clamp when Match("mss") is { } range:
                yield return "TCPMSS";
                yield return "--set-mss";
                yield return (int.Parse(range.Split(':', '-')[0], CultureInfo.InvariantCulture) - 1).ToString(CultureInfo.InvariantCulture);
                break;
            case NetfilterEvaluator.Clamp:
                yield return "TCPMSS";
                yield return "--clamp-mss-to-pmtu";
                break;
            default:
                yield return rule.Verdict.ToUpperInvariant();
                break;
        }
        if (rule.MapsTo is { } to)
        {
            yield return rule.Verdict switch { "dnat" => "--to-destination", "snat" => "--to-source", _ => "--to" };
            yield return to;
        }
    }
}
