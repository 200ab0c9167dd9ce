using System.Net;
using Sitewire.Config.Topology;
using Sitewire.Netfilter;

namespace Sitewire.Planner.Plan;

/// <summary>
/// The shapes of the rules sitewire plans, as values: what <see cref="PlannedRuleset"/> puts on a node and what the doctor's
/// fixes put back, so both say the same rule. Each carries its text as the doctor prints rules of its kind.
/// </summary>
public static class PlannedRules
{
    /// <summary>
    /// A flow policy rule: a new connection from <paramref name="source"/> to <paramref name="destination"/> on the flow's port, or
    /// an ICMP echo request for a flow without one, gets <paramref name="verdict"/> in <paramref name="chain"/>.
    /// </summary>
    public static NetfilterRule FlowPolicyRule(string family, string table, string chain, string source, string destination, TransportProtocol protocol, int? port, string verdict,
        params (string Key, string Value)[] more)
    {
        var ipFamily = family == IpFamily.V6.Nft ? IpFamily.V6 : IpFamily.V4;
        (string, string)[] target = port is { } number
            ? [("l4proto", protocol.ToString().ToLowerInvariant()), ("dport", Number(number))]
            : [("l4proto", ipFamily == IpFamily.V6 ? "ipv6-icmp" : "icmp"), ("icmptype", "echo-request")];
        return Named(new NetfilterRule(family, table, chain, ToMatches([.. more, ("saddr", source), ("daddr", destination), .. target]), verdict, false, ""));
    }

    /// <summary>Packets from <paramref name="sources"/> (any source when none) leaving by <paramref name="outInterface"/> get its address as source.</summary>
    public static NetfilterRule Masquerade(string family, string table, string chain, IEnumerable<IPNetwork> sources, string outInterface)
    {
        var from = string.Join(',', sources);
        return Named(new NetfilterRule(family, table, chain, ToMatches([.. from.Length == 0 ? [] : new[] { ("saddr", from) }, ("oifname", outInterface)]), "masquerade", false, ""));
    }

    /// <summary>
    /// A 1:1 prefix translation at <paramref name="tunnel"/> (IPv4): <paramref name="inbound"/>, packets arriving on it for
    /// <paramref name="from"/> get <paramref name="to"/> as destination; else packets leaving by it from <paramref name="from"/>
    /// get it as source. An inet table's rule names its family.
    /// </summary>
    public static NetfilterRule PrefixMap(string family, string table, string chain, string tunnel, IPNetwork from, IPNetwork to, bool inbound) =>
        Named(new NetfilterRule(family, table, chain, ToMatches([(inbound ? "iifname" : "oifname", tunnel), (inbound ? "daddr" : "saddr", from.ToString()),
            .. family == "inet" ? new[] { ("nfproto", IpFamily.V4.NfProto) } : []]), "netmap", false, "", to.ToString()));

    /// <summary>The MSS clamp of TCP SYNs forwarded out of <paramref name="tunnel"/>: to the route's MTU.</summary>
    public static NetfilterRule ClampOut(string family, string table, string chain, string tunnel) =>
        Named(new NetfilterRule(family, table, chain, ToMatches([("oifname", tunnel), ("l4proto", "tcp"), ("tcpflags", "syn")]), NetfilterEvaluator.Clamp, false, ""));

    /// <summary>
    /// The MSS clamp of TCP SYNs forwarded in from <paramref name="tunnel"/>: an MSS above <paramref name="mss"/> lowered to it;
    /// <paramref name="nfproto"/> limits an inet table's rule to its family.
    /// </summary>
    public static NetfilterRule ClampIn(string family, string table, string chain, string tunnel, int mss, IpFamily? nfproto) =>
        Named(new NetfilterRule(family, table, chain, ToMatches([.. nfproto is null ? [] : new[] { ("nfproto", nfproto.NfProto) },
            ("iifname", tunnel), ("l4proto", "tcp"), ("tcpflags", "syn"), ("mss", $"{Number(mss + 1)}:65535")]), NetfilterEvaluator.Clamp, false, ""));

    internal static string Number(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal static Dictionary<string, string> ToMatches((string Key, string Value)[] matches) => matches.ToDictionary(m => m.Key, m => m.Value);

    /// <summary>The rule's text: as iptables writes it for its tables, as the doctor prints nft's (<c>inet TABLE CHAIN: matches verdict</c>) for an inet table.</summary>
    internal static NetfilterRule Named(NetfilterRule rule) => rule with
    {
        Text = rule.Family == "inet"
            ? $"{rule.Family} {rule.Table} {rule.Chain}: {string.Join(' ', rule.Matches.Select(m => $"{m.Key} {m.Value}").Append(rule.Verdict))}{(rule.MapsTo is null ? "" : $" to {rule.MapsTo}")}"
            : IptablesSyntax.Rule(rule),
    };
}
