using System.Globalization;
using System.Net;

namespace Sitewire.Netfilter;

/// <summary>
/// A packet of one IP family as the doctor imagines it at a hook. Null fields are unknown: a rule matching on an unknown field
/// is taken as not applying (a port-specific accept does not open everything, a port-specific drop does not block everything).
/// Its connection has no status bits (`ct status dnat`, firewalld's accept of port-forwarded traffic, does not match): the
/// doctor's packets are not translated by this node. A new ICMP packet is an echo request (`icmptype` matches echo-request), a reply established.
/// </summary>
public sealed record NetfilterPacket(IpFamily Family, string? InInterface, string? OutInterface, IPNetwork? Source, IPNetwork? Destination, string? Protocol, int? DestinationPort, string State);

/// <summary>
/// What one base chain did with the packet: the deciding rule (null when the policy decided) and the verdict.
/// <c>Unevaluated</c>: rules passed over on the way because a match of theirs cannot be evaluated (e.g. an iptables
/// extension nft does not show), while their other matches apply and their verdict differs; any of them may have decided instead.
/// </summary>
public sealed record ChainVerdict(NetfilterChain Chain, string Verdict, NetfilterRule? Rule, IReadOnlyList<NetfilterRule> Unevaluated)
{
    public bool IsCertain => Unevaluated.Count == 0;

    /// <summary>What decided, for a message: "rule `…`" or "the policy drop of ip filter FORWARD".</summary>
    public string DecidedBy => Rule is null ? $"the policy {Chain.Policy} of {(Chain.Legacy ? "iptables-legacy's " : "")}{Chain.Family} {Chain.Table} {Chain.Name}" : $"rule `{Rule.Text}`";

    /// <summary>The first rule that may have decided instead, for a message, or null when the verdict is certain.</summary>
    public string? Doubt => IsCertain ? null : $"rule `{Unevaluated[0].Text}` (the doctor cannot evaluate its match)";
}

/// <summary>
/// Walks a packet through every base chain of its family (ip or ip6, and inet) at a hook, in priority-independent order:
/// the packet passes only when every base chain accepts it. Jumps and gotos are followed (depth-limited); rules
/// with matches the doctor cannot evaluate are skipped and listed in the verdict, never taken as accept or drop.
/// </summary>
public static class NetfilterEvaluator
{
    private const int MaxJumpDepth = 16;

    /// <summary>The verdict of an MSS clamp (TCPMSS, `tcp option maxseg size set`): it changes the packet and decides nothing.</summary>
    public const string Clamp = "tcpmss";

    /// <summary>The MSS of a SYN from a host at ethernet's MTU (1500 - 40), the one the doctor imagines.</summary>
    private const int EthernetMss = 1460;

    public static IReadOnlyList<ChainVerdict> Walk(NetfilterRuleset ruleset, string hook, string chainType, NetfilterPacket packet) =>
        [.. ruleset.Chains
            .Where(c => c.Hook == hook && c.Type == chainType && (c.Family == packet.Family.Nft || c.Family == "inet"))
            .Select(chain => Verdict(ruleset, chain, packet))];

    private static ChainVerdict Verdict(NetfilterRuleset ruleset, NetfilterChain chain, NetfilterPacket packet)
    {
        var skipped = new List<NetfilterRule>();
        var (verdict, rule) = Decide(ruleset, chain, chain.Hook, packet, 0, skipped) is { } decision ? (decision.Verdict, decision.Rule) : (chain.Policy, (NetfilterRule?)null);
        return new ChainVerdict(chain, verdict, rule, [.. skipped.Where(r => r.Verdict != verdict)]);
    }

    /// <summary>The first chain that drops or rejects the packet, or null when every base chain at the hook accepts it.</summary>
    public static ChainVerdict? Blocker(NetfilterRuleset ruleset, string hook, NetfilterPacket packet) =>
        Walk(ruleset, hook, "filter", packet).FirstOrDefault(v => v.Verdict is "drop" or "reject");

    /// <summary>The masquerade/snat rule the packet meets in nat postrouting, or null when it leaves with its source unchanged.</summary>
    public static NetfilterRule? SourceNat(NetfilterRuleset ruleset, NetfilterPacket packet) =>
        Walk(ruleset, "postrouting", "nat", packet).FirstOrDefault(v => v.Verdict is "masquerade" or "snat")?.Rule;

    /// <summary>
    /// The MSS clamps a new TCP connection's SYN meets at <paramref name="hook"/>, in every base chain there (any type, the mangle
    /// table's too): rules with verdict <see cref="Clamp"/> whose matches all apply, before the chain accepts or drops it.
    /// </summary>
    public static IReadOnlyList<NetfilterRule> Clamps(NetfilterRuleset ruleset, string hook, NetfilterPacket packet) =>
        [.. ruleset.Chains
            .Where(c => c.Hook == hook && (c.Family == packet.Family.Nft || c.Family == "inet"))
            .SelectMany(chain => ruleset.RulesOf(chain)
                .Where(rule => !Unknown(rule, hook) && KnownMatchesApply(rule, packet, hook))
                .TakeWhile(rule => rule.Verdict is not ("accept" or "drop" or "reject"))
                .Where(rule => rule.Verdict == Clamp))];

    private static (string Verdict, NetfilterRule Rule)? Decide(NetfilterRuleset ruleset, NetfilterChain chain, string? hook, NetfilterPacket packet, int depth, List<NetfilterRule> skipped)
    {
        foreach (var rule in ruleset.RulesOf(chain))
        {
            if (!KnownMatchesApply(rule, packet, hook))
            {
                continue;
            }
            if (Unknown(rule, hook))
            {
                if (rule.Verdict.Length > 0 && rule.Verdict != Clamp)
                {
                    skipped.Add(rule);
                }
                continue;
            }
            switch (rule.Verdict)
            {
                case "accept" or "drop" or "reject" or "masquerade" or "snat" or "dnat" or "netmap":
                    return (rule.Verdict, rule);
                case "return":
                    return null;
                case var jump when jump.StartsWith("jump:", StringComparison.Ordinal) || jump.StartsWith("goto:", StringComparison.Ordinal):
                    var target = ruleset.Chain(rule, jump[5..]);
                    var inner = target is null || depth >= MaxJumpDepth ? null : Decide(ruleset, target, hook, packet, depth + 1, skipped);
                    if (inner is not null || jump.StartsWith("goto:", StringComparison.Ordinal))
                    {
                        return inner;
                    }
                    break;
            }
        }
        return null;
    }

    /// <summary>
    /// A match the evaluator cannot judge here: one the reader could not read, or an address type away from the input and forward
    /// hooks (there a packet's destination is the host's own, or not; elsewhere that takes the routing decision).
    /// </summary>
    private static bool Unknown(NetfilterRule rule, string? hook) =>
        rule.HasUnknownMatch || (rule.Matches.ContainsKey("dsttype") && hook is not ("input" or "forward"));

    private static bool KnownMatchesApply(NetfilterRule rule, NetfilterPacket packet, string? hook) =>
        rule.Matches.All(match => match.Key switch
        {
            "dsttype" => hook is not ("input" or "forward") || Values(match.Value).Any(type => IsDestinationType(type, packet, hook)),
            "iifname" => packet.InInterface is { } i && InterfaceMatches(match.Value, i),
            "!iifname" => packet.InInterface is { } i && !InterfaceMatches(match.Value, i),
            "oifname" => packet.OutInterface is { } o && InterfaceMatches(match.Value, o),
            "!oifname" => packet.OutInterface is { } o && !InterfaceMatches(match.Value, o),
            "saddr" => packet.Source is { } s && PrefixMatches(match.Value, s),
            "daddr" => packet.Destination is { } d && PrefixMatches(match.Value, d),
            "l4proto" => packet.Protocol is { } p && Values(match.Value).Contains(p),
            "dport" => packet.DestinationPort is { } port && Values(match.Value).Any(v => InRange(v, port)),
            "ctstate" => Values(match.Value).Contains(packet.State),
            "icmptype" => packet.Protocol is "icmp" or "ipv6-icmp" && packet.State == "new" && Values(match.Value).Any(type => IsEchoRequest(type, packet.Family)),
            "ctstatus" => false,
            "!ctstatus" => true,
            "nfproto" => Values(match.Value).Contains(packet.Family.NfProto),
            "tcpflags" => packet.Protocol == "tcp" && packet.State == "new",
            "mss" => packet.Protocol == "tcp" && Values(match.Value).Any(v => InRange(v, EthernetMss)),
            "!nfproto" => !Values(match.Value).Contains(packet.Family.NfProto),
            _ => false,
        });

    /// <summary>
    /// addrtype's destination type (the kernel's route type of the destination) of a packet at the input hook (the host's own
    /// address: local) or the forward hook (another host's: unicast), or multicast when its destination says so; never broadcast.
    /// </summary>
    private static bool IsDestinationType(string type, NetfilterPacket packet, string? hook)
    {
        var multicast = packet.Destination is { } destination
            && (destination.BaseAddress.IsIPv6Multicast || (destination.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && destination.BaseAddress.GetAddressBytes()[0] is >= 224 and < 240));
        return type switch
        {
            "local" => hook == "input" && !multicast,
            "unicast" => hook == "forward" && !multicast,
            "multicast" => multicast,
            _ => false,
        };
    }

    /// <summary>An ICMP packet that opens a connection is an echo request: nft names it, iptables-save numbers it (8, ICMPv6 128).</summary>
    private static bool IsEchoRequest(string type, IpFamily family) => type == "echo-request" || type == (family == IpFamily.V6 ? "128" : "8");

    private static IEnumerable<string> Values(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static bool InterfaceMatches(string pattern, string name) => Values(pattern).Any(p =>
        p.EndsWith('*') || p.EndsWith('+') ? name.StartsWith(p[..^1], StringComparison.Ordinal) : p == name);

    private static bool PrefixMatches(string pattern, IPNetwork packet) => Values(pattern).Any(p =>
        IpFamily.ParsePrefix(p) is { } prefix && prefix.PrefixLength <= packet.PrefixLength && prefix.Contains(packet.BaseAddress));

    private static bool InRange(string pattern, int value)
    {
        var range = pattern.Split('-', ':');
        return range.Length == 2
            ? int.TryParse(range[0], CultureInfo.InvariantCulture, out var low) && int.TryParse(range[1], CultureInfo.InvariantCulture, out var high) && low <= value && value <= high
            : int.TryParse(pattern, CultureInfo.InvariantCulture, out var single) && single == value;
    }
}
