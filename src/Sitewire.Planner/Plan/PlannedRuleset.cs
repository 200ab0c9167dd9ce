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

    /// <summary>The iptables chain of the flow policy, as wg-quick names it for <paramref name="tunnel"/>.</summary>
    public static string IptablesFlowPolicyChain(string tunnel) => FlowFilter.IptablesChain.Replace("%i", tunnel, StringComparison.Ordinal);

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
                    Insert(Rule(family, Filter, "INPUT", "accept", ("l4proto", "udp"), ("dport", PlannedRules.Number(port))));
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
                    Append(PlannedRules.ClampOut(family.Nft, "mangle", "FORWARD", tunnel));
                    Append(PlannedRules.ClampIn(family.Nft, "mangle", "FORWARD", tunnel, clamp.MssFor(family == IpFamily.V6), nfproto: null));
                }
            }
            foreach (var map in rules.Maps)
            {
                Insert(PlannedRules.PrefixMap(IpFamily.V4.Nft, "nat", "PREROUTING", map.Tunnel, map.Mapped, map.Real, inbound: true));
                Insert(PlannedRules.PrefixMap(IpFamily.V4.Nft, "nat", "POSTROUTING", map.Tunnel, map.Real, map.Mapped, inbound: false));
            }
            foreach (var nat in rules.Nat)
            {
                Append(PlannedRules.Masquerade(FamilyOf(nat.SourcePrefix).Nft, "nat", "POSTROUTING", [nat.SourcePrefix], nat.OutInterface));
            }
        }

        /// <summary>What <see cref="NftablesRenderer"/> writes: one table <c>inet sitewire_IFACE</c>.</summary>
        public void Nftables(NodeRules rules, IReadOnlyList<IpFamily> families)
        {
            var table = NftablesRenderer.TableName(tunnel);
            NetfilterRule Inet(string chain, string verdict, params (string Key, string Value)[] matches) =>
                PlannedRules.Named(new NetfilterRule("inet", table, chain, PlannedRules.ToMatches(matches), verdict, false, ""));
            if (rules.Clamp is { } clamp)
            {
                Append(PlannedRules.ClampOut("inet", table, NftablesRenderer.MssClampChain, tunnel));
                foreach (var family in families)
                {
                    Append(PlannedRules.ClampIn("inet", table, NftablesRenderer.MssClampChain, tunnel, clamp.MssFor(family == IpFamily.V6), family));
                }
            }
            foreach (var map in rules.Maps)
            {
                Append(PlannedRules.PrefixMap("inet", table, "prerouting", map.Tunnel, map.Mapped, map.Real, inbound: true));
            }
            foreach (var map in rules.Maps)
            {
                Append(PlannedRules.PrefixMap("inet", table, "postrouting", map.Tunnel, map.Real, map.Mapped, inbound: false));
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
            AddFlowPolicyRule(Rule(family, Filter, chain, "accept", ("ctstate", "established,related")), null);
            foreach (var rule in policy.Rules.Where(r => r.Family == family.AddressFamily))
            {
                foreach (var (source, destination) in rule.Sources.SelectMany(s => rule.Destinations.Select(d => (s, d))))
                {
                    AddFlowPolicyRule(PlannedRules.FlowPolicyRule(family.Nft, Filter, chain, source.ToString(), destination.ToString(), rule.Protocol, rule.Port, Verdict(rule)), rule);
                }
            }
            AddFlowPolicyRule(Rule(family, Filter, chain, "drop"), null);
        }

        /// <summary>The chain <c>flow_policy</c> of the node's table: from the tunnel, replies, then each flow (its sources and destinations as sets), then drop.</summary>
        private void NftFlowPolicy(FlowFilter policy, string table, Func<string, string, (string, string)[], NetfilterRule> inet)
        {
            var from = ("iifname", policy.TunnelInterface);
            AddFlowPolicyRule(inet(FlowFilter.NftChain, "accept", [from, ("ctstate", "established,related")]), null);
            foreach (var rule in policy.Rules)
            {
                var family = rule.Family == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IpFamily.V6 : IpFamily.V4;
                AddFlowPolicyRule(PlannedRules.FlowPolicyRule("inet", table, FlowFilter.NftChain, string.Join(',', rule.Sources), string.Join(',', rule.Destinations), rule.Protocol, rule.Port,
                    Verdict(rule), from, ("nfproto", family.NfProto)), rule);
            }
            AddFlowPolicyRule(inet(FlowFilter.NftChain, "drop", [from]), null);
        }

        private void AddFlowPolicyRule(NetfilterRule rule, FlowRule? flow)
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
                matches.Add(("dport", PlannedRules.Number(port)));
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
            PlannedRules.Named(new NetfilterRule(family.Nft, table, chain, PlannedRules.ToMatches(matches), verdict, false, ""));

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
