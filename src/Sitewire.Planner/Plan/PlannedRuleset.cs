using System.Net;
using Sitewire.Config.Topology;
using Sitewire.Netfilter;

namespace Sitewire.Planner.Plan;

/// <summary>
/// A node's netfilter rules once its PostUp ran, as values: the rules it started with, then the plan's, each where the
/// renderer's command puts it (`iptables -I` first in its chain, `-A` last; the nft table of its own), in the terms the
/// doctor reads live rules into. <see cref="FlowPolicyRules"/>: the rules of the flow policy's chain, each with the deny flow
/// it was planned from (null for the replies' accept, the allow flows and the final drop). <see cref="Added"/>: the plan's
/// rules in the order its PostUp adds them, which the renderers write.
/// </summary>
public sealed record PlannedRuleset(NetfilterRuleset Ruleset, IReadOnlyDictionary<NetfilterRule, FlowRule?> FlowPolicyRules, IReadOnlyList<PlannedRule> Added)
{
    private const string Filter = "filter";
    private const string DockerUser = "DOCKER-USER";

    public static PlannedRuleset Of(NodeRules rules, string tunnel, RuleBackend backend, bool hasIpv6, NetfilterRuleset starting)
    {
        var families = hasIpv6 ? IpFamily.Both : [IpFamily.V4];
        var builder = new Builder(starting, tunnel);
        if (backend == RuleBackend.Iptables)
        {
            builder.Iptables(rules, families);
        }
        else
        {
            builder.Nftables(rules, families);
            builder.DockerUserAccepts(rules, families);
        }
        return new PlannedRuleset(builder.Ruleset, builder.FlowPolicyRules, builder.Added);
    }

    /// <summary>The rules that start the node, before any PostUp (a client device runs none).</summary>
    public static PlannedRuleset Unchanged(NetfilterRuleset starting) => new(starting, new Dictionary<NetfilterRule, FlowRule?>(), []);

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

    /// <summary>The iptables chain of the flow policy, as wg-quick names it for <paramref name="tunnel"/>.</summary>
    public static string IptablesFlowPolicyChain(string tunnel) => FlowFilter.IptablesChain.Replace("%i", tunnel, StringComparison.Ordinal);

    /// <summary>Packets from <paramref name="source"/> leaving by <paramref name="outInterface"/> get its address as source.</summary>
    public static NetfilterRule Masquerade(string family, string table, string chain, IPNetwork source, string outInterface) =>
        Named(new NetfilterRule(family, table, chain, ToMatches([("saddr", source.ToString()), ("oifname", outInterface)]), "masquerade", false, ""));

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

    private static string Number(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static Dictionary<string, string> ToMatches((string Key, string Value)[] matches) => matches.ToDictionary(m => m.Key, m => m.Value);

    /// <summary>The rule's text: as iptables writes it for its tables, as the doctor prints nft's (<c>inet TABLE CHAIN: matches verdict</c>) for an inet table.</summary>
    private static NetfilterRule Named(NetfilterRule rule) => rule with
    {
        Text = rule.Family == "inet"
            ? $"{rule.Family} {rule.Table} {rule.Chain}: {string.Join(' ', rule.Matches.Select(m => $"{m.Key} {m.Value}").Append(rule.Verdict))}{(rule.MapsTo is null ? "" : $" to {rule.MapsTo}")}"
            : IptablesSyntax.Rule(rule),
    };

    private sealed class Builder(NetfilterRuleset starting, string tunnel)
    {
        public NetfilterRuleset Ruleset { get; private set; } = starting;

        public Dictionary<NetfilterRule, FlowRule?> FlowPolicyRules { get; } = new(ReferenceEqualityComparer.Instance);

        public List<PlannedRule> Added { get; } = [];

        /// <summary>What <see cref="IptablesRenderer"/> writes, in its order.</summary>
        public void Iptables(NodeRules rules, IReadOnlyList<IpFamily> families)
        {
            var firewall = rules.Firewall;
            if (firewall.FlowPolicy is { } policy)
            {
                foreach (var family in families)
                {
                    IptablesFlowPolicy(policy, family);
                }
            }
            if (firewall.OpenUdpPort is { } port)
            {
                foreach (var family in families)
                {
                    Insert(Rule(family, Filter, "INPUT", "accept", ("l4proto", "udp"), ("dport", Number(port))));
                }
            }
            if (firewall.DockerUser)
            {
                DockerUserAccepts(rules, families);
            }
            else
            {
                ForwardAccepts(firewall, families, "FORWARD");
            }
            if (firewall.FlowPolicy is not null)
            {
                foreach (var family in families)
                {
                    Insert(Rule(family, Filter, "FORWARD", "jump:" + IptablesFlowPolicyChain(tunnel), ("iifname", tunnel)));
                }
            }
            foreach (var drop in firewall.Drops)
            {
                foreach (var family in families.Where(f => drop.Family is not { } only || f.AddressFamily == only))
                {
                    Insert(Rule(family, Filter, drop.Chain == FilterChain.Input ? "INPUT" : firewall.DockerUser ? DockerUser : "FORWARD", "drop", DropMatches(drop, family)));
                }
            }
            if (rules.Clamp is { } clamp)
            {
                foreach (var family in families)
                {
                    Append(ClampOut(family.Nft, "mangle", "FORWARD", tunnel));
                    Append(ClampIn(family.Nft, "mangle", "FORWARD", tunnel, clamp.MssFor(family == IpFamily.V6), nfproto: null));
                }
            }
            foreach (var map in rules.Maps)
            {
                Insert(PrefixMap(IpFamily.V4.Nft, "nat", "PREROUTING", map.Tunnel, map.Mapped, map.Real, inbound: true));
                Insert(PrefixMap(IpFamily.V4.Nft, "nat", "POSTROUTING", map.Tunnel, map.Real, map.Mapped, inbound: false));
            }
            foreach (var nat in rules.Nat)
            {
                Append(Masquerade(FamilyOf(nat.SourcePrefix).Nft, "nat", "POSTROUTING", nat.SourcePrefix, nat.OutInterface));
            }
        }

        /// <summary>What <see cref="NftablesRenderer"/> writes: one table <c>inet sitewire_IFACE</c>.</summary>
        public void Nftables(NodeRules rules, IReadOnlyList<IpFamily> families)
        {
            var table = NftablesRenderer.TableName(tunnel);
            NetfilterRule Inet(string chain, string verdict, params (string Key, string Value)[] matches) =>
                Named(new NetfilterRule("inet", table, chain, ToMatches(matches), verdict, false, ""));
            if (rules.Clamp is { } clamp)
            {
                Append(ClampOut("inet", table, NftablesRenderer.MssClampChain, tunnel));
                foreach (var family in families)
                {
                    Append(ClampIn("inet", table, NftablesRenderer.MssClampChain, tunnel, clamp.MssFor(family == IpFamily.V6), family));
                }
            }
            foreach (var map in rules.Maps)
            {
                Append(PrefixMap("inet", table, "prerouting", map.Tunnel, map.Mapped, map.Real, inbound: true));
            }
            foreach (var map in rules.Maps)
            {
                Append(PrefixMap("inet", table, "postrouting", map.Tunnel, map.Real, map.Mapped, inbound: false));
            }
            foreach (var nat in rules.Nat)
            {
                Append(Inet("postrouting", "masquerade", ("saddr", nat.SourcePrefix.ToString()), ("nfproto", FamilyOf(nat.SourcePrefix).NfProto), ("oifname", nat.OutInterface)));
            }
            foreach (var drop in rules.Firewall.Drops.OrderBy(drop => drop.Chain))
            {
                Append(Inet(drop.Chain == FilterChain.Forward ? "forward" : "input", "drop", DropMatches(drop, family: null)));
            }
            if (rules.Firewall.FlowPolicy is { } policy)
            {
                NftFlowPolicy(policy, table, Inet);
            }
            foreach (var chain in Ruleset.Rules.Where(r => r.Table == table).Select(r => r.Chain).Distinct().ToList())
            {
                var (hook, type) = chain switch
                {
                    "prerouting" => ("prerouting", "nat"),
                    "postrouting" => ("postrouting", "nat"),
                    "input" => ("input", Filter),
                    _ => ("forward", Filter),
                };
                Ruleset = Ruleset.With(new NetfilterChain("inet", table, chain, hook, type, "accept"));
            }
        }

        /// <summary>The forward accepts in Docker's DOCKER-USER chain (with iptables on every OS family), made when Docker has not yet.</summary>
        public void DockerUserAccepts(NodeRules rules, IReadOnlyList<IpFamily> families)
        {
            if (rules.Firewall.DockerUser)
            {
                ForwardAccepts(rules.Firewall, families, DockerUser);
            }
        }

        private void ForwardAccepts(FirewallPlan firewall, IReadOnlyList<IpFamily> families, string chain)
        {
            foreach (var accept in firewall.ForwardAccepts)
            {
                foreach (var family in families)
                {
                    Insert(Rule(family, Filter, chain, "accept", ("iifname", accept.InInterface), ("oifname", accept.OutInterface)));
                }
            }
        }

        /// <summary>The chain <c>sitewire-IFACE</c>: replies, then the family's deny and allow flows (one rule per source and destination), then drop.</summary>
        private void IptablesFlowPolicy(FlowFilter policy, IpFamily family)
        {
            var chain = IptablesFlowPolicyChain(tunnel);
            Ruleset = Ruleset.With(new NetfilterChain(family.Nft, Filter, chain, null, null, "accept"));
            FlowPolicyRule(Rule(family, Filter, chain, "accept", ("ctstate", "established,related")), null);
            foreach (var rule in policy.Rules.Where(r => r.Family == family.AddressFamily))
            {
                foreach (var (source, destination) in rule.Sources.SelectMany(s => rule.Destinations.Select(d => (s, d))))
                {
                    FlowPolicyRule(PlannedRuleset.FlowPolicyRule(family.Nft, Filter, chain, source.ToString(), destination.ToString(), rule.Protocol, rule.Port, Verdict(rule)), rule);
                }
            }
            FlowPolicyRule(Rule(family, Filter, chain, "drop"), null);
        }

        /// <summary>The chain <c>flow_policy</c> of the node's table: from the tunnel, replies, then each flow (its sources and destinations as sets), then drop.</summary>
        private void NftFlowPolicy(FlowFilter policy, string table, Func<string, string, (string, string)[], NetfilterRule> inet)
        {
            var from = ("iifname", policy.TunnelInterface);
            FlowPolicyRule(inet(FlowFilter.NftChain, "accept", [from, ("ctstate", "established,related")]), null);
            foreach (var rule in policy.Rules)
            {
                var family = rule.Family == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IpFamily.V6 : IpFamily.V4;
                FlowPolicyRule(PlannedRuleset.FlowPolicyRule("inet", table, FlowFilter.NftChain, string.Join(',', rule.Sources), string.Join(',', rule.Destinations), rule.Protocol, rule.Port,
                    Verdict(rule), from, ("nfproto", family.NfProto)), rule);
            }
            FlowPolicyRule(inet(FlowFilter.NftChain, "drop", [from]), null);
        }

        private void FlowPolicyRule(NetfilterRule rule, FlowRule? flow)
        {
            Append(rule);
            FlowPolicyRules[rule] = flow?.Expect == FlowExpectation.Deny ? flow : null;
        }

        private static string Verdict(FlowRule rule) => rule.Expect == FlowExpectation.Deny ? "drop" : "accept";

        /// <summary>A declared drop's matches; <paramref name="family"/> is the iptables tool's, null in an inet table (where an address match names it).</summary>
        private static (string, string)[] DropMatches(DropRule drop, IpFamily? family)
        {
            var matches = new List<(string, string)>();
            if (drop.InInterface is { } inName)
            {
                matches.Add(("iifname", inName));
            }
            if (drop.OutInterface is { } outName)
            {
                matches.Add(("oifname", outName));
            }
            if (drop.Protocol is { } protocol)
            {
                matches.Add(("l4proto", protocol.ToString().ToLowerInvariant()));
            }
            if (drop.Port is { } port)
            {
                matches.Add(("dport", Number(port)));
            }
            if (drop.Source is { } source)
            {
                matches.Add(("saddr", source.ToString()));
            }
            if (drop.Destination is { } destination)
            {
                matches.Add(("daddr", destination.ToString()));
            }
            if (family is null && (drop.Source ?? drop.Destination) is { } prefix)
            {
                matches.Add(("nfproto", FamilyOf(prefix).NfProto));
            }
            return [.. matches];
        }

        private static IpFamily FamilyOf(IPNetwork prefix) => IpFamily.Of(prefix.BaseAddress);

        private static NetfilterRule Rule(IpFamily family, string table, string chain, string verdict, params (string Key, string Value)[] matches) =>
            Named(new NetfilterRule(family.Nft, table, chain, ToMatches(matches), verdict, false, ""));

        private void Insert(NetfilterRule rule)
        {
            Ruleset = EnsureChain(Ruleset, rule).Inserted(rule);
            Added.Add(new PlannedRule(rule, Insert: true));
        }

        private void Append(NetfilterRule rule)
        {
            Ruleset = EnsureChain(Ruleset, rule).Appended(rule);
            Added.Add(new PlannedRule(rule, Insert: false));
        }

        /// <summary>An iptables chain the rule goes into exists once the command ran: a built-in one with its hook (iptables-nft makes it), another as `-N` makes it.</summary>
        private static NetfilterRuleset EnsureChain(NetfilterRuleset ruleset, NetfilterRule rule) =>
            rule.Family == "inet" || ruleset.Chain(rule.Family, rule.Table, rule.Chain) is not null ? ruleset
            : ruleset.With(BuiltInChains.Contains(rule.Chain)
                ? new NetfilterChain(rule.Family, rule.Table, rule.Chain, rule.Chain.ToLowerInvariant(), rule.Table == "nat" ? "nat" : Filter, "accept")
                : new NetfilterChain(rule.Family, rule.Table, rule.Chain, null, null, "accept"));

        private static readonly HashSet<string> BuiltInChains = ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"];
    }
}

/// <summary>One rule the plan adds: first in its chain (<see cref="Insert"/>: `iptables -I`) or last (`-A`, nft `add rule`).</summary>
public sealed record PlannedRule(NetfilterRule Rule, bool Insert);
