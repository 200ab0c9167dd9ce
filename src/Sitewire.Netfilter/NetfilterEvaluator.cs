using System.Net;

namespace Sitewire.Netfilter;

/// <summary>
/// A packet of one IP family as the doctor imagines it at a hook. Null fields are unknown: a rule matching on an unknown field
/// is taken as not applying (a port-specific accept does not open everything, a port-specific drop does not block everything).
/// Its connection has no status bits (`ct status dnat`, firewalld's accept of port-forwarded traffic, does not match): the
/// doctor's packets are not translated by this node. A new ICMP packet is an echo request (`icmptype` matches echo-request), a reply established.
/// </summary>
public readonly record struct NetfilterPacket(IpFamily Family, string? InInterface, string? OutInterface, IPNetwork? Source, IPNetwork? Destination, string? Protocol, int? DestinationPort, string State);

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
        [.. Verdicts(ruleset, hook, chainType, packet)];

    /// <summary>The first chain that drops or rejects the packet, or null when every base chain at the hook accepts it.</summary>
    public static ChainVerdict? Blocker(NetfilterRuleset ruleset, string hook, NetfilterPacket packet)
    {
        foreach (var verdict in Verdicts(ruleset, hook, "filter", packet))
        {
            if (verdict.Verdict is "drop" or "reject")
            {
                return verdict;
            }
        }
        return null;
    }

    /// <summary>The masquerade/snat rule the packet meets in nat postrouting, or null when it leaves with its source unchanged.</summary>
    public static NetfilterRule? SourceNat(NetfilterRuleset ruleset, NetfilterPacket packet)
    {
        foreach (var verdict in Verdicts(ruleset, "postrouting", "nat", packet))
        {
            if (verdict.Verdict is "masquerade" or "snat")
            {
                return verdict.Rule;
            }
        }
        return null;
    }

    /// <summary>
    /// The MSS clamps a new TCP connection's SYN meets at <paramref name="hook"/>, in every base chain there (any type, the mangle
    /// table's too): rules with verdict <see cref="Clamp"/> whose matches all apply, before the chain accepts or drops it.
    /// </summary>
    public static IReadOnlyList<NetfilterRule> Clamps(NetfilterRuleset ruleset, string hook, NetfilterPacket packet)
    {
        var clamps = new List<NetfilterRule>();
        foreach (var chain in CompiledRuleset.Of(ruleset).Chains.Where(chain => chain.IsBaseAt(hook, null, packet.Family)))
        {
            foreach (var rule in chain.Rules.Where(rule => !Unknown(rule, hook) && KnownMatchesApply(rule, packet, hook)))
            {
                if (rule.Rule.Verdict is "accept" or "drop" or "reject")
                {
                    break;
                }
                if (rule.Rule.Verdict == Clamp)
                {
                    clamps.Add(rule.Rule);
                }
            }
        }
        return clamps;
    }

    private static BaseChainVerdicts Verdicts(NetfilterRuleset ruleset, string hook, string chainType, NetfilterPacket packet) =>
        new(CompiledRuleset.Of(ruleset), hook, chainType, packet);

    /// <summary>
    /// The verdict of each base chain of the type at the hook, in the ruleset's order, each walked only when asked for. A struct
    /// enumerable: verify asks it hundreds of thousands of times, and an iterator object each time was a fifth of its garbage.
    /// </summary>
    private readonly struct BaseChainVerdicts(CompiledRuleset ruleset, string hook, string chainType, NetfilterPacket packet)
    {
        public Enumerator GetEnumerator() => new(ruleset, hook, chainType, packet);

        public struct Enumerator(CompiledRuleset ruleset, string hook, string chainType, NetfilterPacket packet)
        {
            private int _next;

            public ChainVerdict Current { get; private set; } = null!;

            public bool MoveNext()
            {
                while (_next < ruleset.Chains.Length)
                {
                    var chain = ruleset.Chains[_next++];
                    if (chain.IsBaseAt(hook, chainType, packet.Family))
                    {
                        Current = Verdict(ruleset, chain, packet);
                        return true;
                    }
                }
                return false;
            }
        }
    }

    private static ChainVerdict Verdict(CompiledRuleset ruleset, CompiledChain chain, in NetfilterPacket packet)
    {
        List<NetfilterRule>? skipped = null;
        var (verdict, rule) = Decide(ruleset, chain, chain.Chain.Hook, packet, 0, ref skipped) is { } decision ? (decision.Verdict, decision.Rule) : (chain.Chain.Policy, (NetfilterRule?)null);
        return new ChainVerdict(chain.Chain, verdict, rule, skipped is null ? [] : OtherVerdicts(skipped, verdict));
    }

    /// <summary>The skipped rules whose verdict differs from the chain's: only they could have decided otherwise.</summary>
    private static NetfilterRule[] OtherVerdicts(List<NetfilterRule> skipped, string verdict) => [.. skipped.Where(r => r.Verdict != verdict)];

    private static (string Verdict, NetfilterRule Rule)? Decide(CompiledRuleset ruleset, CompiledChain chain, string? hook, in NetfilterPacket packet, int depth, ref List<NetfilterRule>? skipped)
    {
        foreach (var compiled in chain.Rules)
        {
            var rule = compiled.Rule;
            if (!KnownMatchesApply(compiled, packet, hook))
            {
                continue;
            }
            if (Unknown(compiled, hook))
            {
                if (rule.Verdict.Length > 0 && rule.Verdict != Clamp)
                {
                    (skipped ??= []).Add(rule);
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
                    var target = ruleset.Target(rule, jump[5..]);
                    var inner = target is null || depth >= MaxJumpDepth ? null : Decide(ruleset, target, hook, packet, depth + 1, ref skipped);
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
    private static bool Unknown(CompiledRule rule, string? hook) =>
        rule.Rule.HasUnknownMatch || (rule.HasAddressType && hook is not ("input" or "forward"));

    private static bool KnownMatchesApply(CompiledRule rule, in NetfilterPacket packet, string? hook)
    {
        foreach (var match in rule.Matches)
        {
            if (!Applies(match, packet, hook))
            {
                return false;
            }
        }
        return true;
    }

    private static bool Applies(CompiledMatch match, in NetfilterPacket packet, string? hook) => match.Key switch
    {
        "dsttype" => hook is not ("input" or "forward") || match.Any((packet, hook), static (type, at) => IsDestinationType(type, at.packet, at.hook)),
        "iifname" => packet.InInterface is { } i && match.NamesInterface(i),
        "!iifname" => packet.InInterface is { } i && !match.NamesInterface(i),
        "oifname" => packet.OutInterface is { } o && match.NamesInterface(o),
        "!oifname" => packet.OutInterface is { } o && !match.NamesInterface(o),
        "saddr" => packet.Source is { } s && match.Contains(s),
        "daddr" => packet.Destination is { } d && match.Contains(d),
        "l4proto" => packet.Protocol is { } p && match.Holds(p),
        "dport" => packet.DestinationPort is { } port && match.InRange(port),
        "ctstate" => match.Holds(packet.State),
        "icmptype" => packet.Protocol is "icmp" or "ipv6-icmp" && packet.State == "new" && match.Any(packet.Family, static (type, family) => IsEchoRequest(type, family)),
        "ctstatus" => false,
        "!ctstatus" => true,
        "nfproto" => match.Holds(packet.Family.NfProto),
        "tcpflags" => packet.Protocol == "tcp" && packet.State == "new",
        "mss" => packet.Protocol == "tcp" && match.InRange(EthernetMss),
        "!nfproto" => !match.Holds(packet.Family.NfProto),
        _ => false,
    };

    /// <summary>
    /// addrtype's destination type (the kernel's route type of the destination) of a packet at the input hook (the host's own
    /// address: local) or the forward hook (another host's: unicast), or multicast when its destination says so; never broadcast.
    /// </summary>
    private static bool IsDestinationType(string type, in NetfilterPacket packet, string? hook)
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
}
