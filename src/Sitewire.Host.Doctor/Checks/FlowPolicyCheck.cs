using System.Net;
using Sitewire.Config.Topology;
using Sitewire.Netfilter;
using Sitewire.Planner.Expected;
using Sitewire.Planner.Plan;

namespace Sitewire.Host.Doctor.Checks;

/// <summary>
/// The plan's flow policy against the live forward chains: a new connection of each planned allow (every source and
/// destination of its rule) must pass them, one of each planned deny must be dropped, and one no rule names must be
/// dropped too (the policy's final drop); a ping flow as an echo request. A rule the doctor cannot evaluate (a mark, an ICMP type
/// other than echo-request) leaves its flow unchecked rather than guessed. Each miss is a problem naming the flow's line and the command that puts it back.
/// </summary>
internal static class FlowPolicyCheck
{
    /// <summary>A source no flow names (TEST-NET-2, RFC 5737), for the final drop.</summary>
    private static readonly IPNetwork UnlistedV4 = IPNetwork.Parse("198.51.100.99/32");

    private static readonly IPNetwork UnlistedV6 = IPNetwork.Parse("2001:db8::99/128");

    public static IEnumerable<DoctorFinding> Run(NodeSnapshot snapshot, string tunnel, ExpectedState node, IReadOnlyList<ExpectedFlowRule> policy)
    {
        var chain = FlowFilter.IptablesChain.Replace("%i", tunnel, StringComparison.Ordinal);
        var iptables = node.Backend == RuleBackend.Iptables;
        var reapply = $"wg-quick down {tunnel} && wg-quick up {tunnel} (the plan's PostUp rebuilds the policy)";
        foreach (var rule in policy)
        {
            var allow = rule.Expect == FlowExpectation.Allow;
            foreach (var (source, destination) in rule.Sources.SelectMany(source => rule.Destinations.Select(destination => (source, destination))))
            {
                var family = IpFamily.Of(destination.BaseAddress);
                var packet = new NetfilterPacket(family, tunnel, OutInterface(node, tunnel, destination), source, destination,
                    rule.Port is null ? (family == IpFamily.V4 ? "icmp" : "ipv6-icmp") : rule.Protocol.ToString().ToLowerInvariant(), rule.Port, "new");
                var verdicts = NetfilterEvaluator.Walk(snapshot.Ruleset, "forward", "filter", packet);
                if (verdicts.Any(v => !v.IsCertain))
                {
                    continue;
                }
                var blocker = verdicts.FirstOrDefault(v => v.Verdict is "drop" or "reject");
                if (allow == (blocker is null))
                {
                    continue;
                }
                var what = $"{(allow ? "allow" : "deny")} flow at {rule.Location} ({source} → {destination} {(rule.Port is { } port ? $"{port}/{rule.Protocol.ToString().ToLowerInvariant()}" : "ping")})";
                var spec = IptablesSyntax.Spec(PlannedRules.FlowPolicyRule(family.Nft, "filter", chain, source.ToString(), destination.ToString(), rule.Protocol, rule.Port, allow ? "accept" : "drop"));
                yield return DoctorFinding.Problem("drift flow policy",
                    allow ? $"planned {what} is dropped by {blocker!.DecidedBy}: its rule is missing" : $"planned {what} passes the forward chains: its drop rule is missing",
                    iptables ? $"{family.Iptables} -I {chain} 2 {spec}" : reapply);
            }
        }
        var unlisted = policy.Select(rule => rule.Destinations[0]).FirstOrDefault();
        if (unlisted is { } target)
        {
            var family = IpFamily.Of(target.BaseAddress);
            var stranger = new NetfilterPacket(family, tunnel, OutInterface(node, tunnel, target), family == IpFamily.V4 ? UnlistedV4 : UnlistedV6, target, "tcp", 1, "new");
            if (NetfilterEvaluator.Blocker(snapshot.Ruleset, "forward", stranger) is null)
            {
                yield return DoctorFinding.Problem("drift flow policy",
                    $"a new connection from the tunnel that no flow allows ({stranger.Source} → {target} 1/tcp) passes the forward chains: the policy's final drop is missing",
                    iptables ? $"{family.Iptables} -A {chain} -j DROP" : reapply);
            }
        }
    }

    /// <summary>Where the node sends a destination: into its LAN when a LAN subnet holds it, else back into the tunnel (a relay).</summary>
    private static string OutInterface(ExpectedState node, string tunnel, IPNetwork destination) =>
        node.Lan is { } lan && lan.Prefixes.Any(prefix => prefix.BaseAddress.AddressFamily == destination.BaseAddress.AddressFamily
            && prefix.PrefixLength <= destination.PrefixLength && prefix.Contains(destination.BaseAddress))
            ? lan.Interface
            : tunnel;
}
