using Sitewire.Netfilter;
using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Model;

/// <summary>
/// The host's netfilter as the model built it: its <see cref="Host.Ruleset"/> (the rules it starts with and the plan's, as
/// values) walked by the doctor's own <see cref="NetfilterEvaluator"/>, then <see cref="Host.Firewalld"/>'s zones for a new
/// connection. A drop names the deciding rule or chain policy and the fix in the terms of whoever owns it: the flow policy's
/// deny flow, the node's drop entry, the chain's policy, Docker's FORWARD.
/// </summary>
public sealed class PlannedNetfilter(Host host) : RulesetNetfilter
{
    protected override NetfilterRuleset Rules => host.Ruleset;

    protected override Firewalld? Firewalld => host.Firewalld;

    protected override Func<IReadOnlyList<ChainVerdict>, Chain, bool, string> Describer => Describe;

    private static string Describe(IReadOnlyList<ChainVerdict> verdicts, Chain chain, bool established) =>
        established ? "established/related (a reply of the tracked connection)"
        : verdicts.Count == 0 ? $"{ChainName(chain)} policy ACCEPT"
        : string.Join(", ", verdicts.Select(v => v.Rule is { } rule ? $"rule '{rule.Text}'" : $"{v.Chain.Name} policy ACCEPT"));

    protected override FilterDrop Explain(ChainVerdict blocker, Chain chain, string where, Packet packet, NetfilterPacket evaluated)
    {
        var (inInterface, outInterface) = (evaluated.InInterface!, evaluated.OutInterface);
        var tool = packet.IsV4 ? "iptables" : "ip6tables";
        if (blocker.Rule is { } policyRule && host.FlowPolicyRules.TryGetValue(policyRule, out var denied))
        {
            return denied is { } flow
                ? new FilterDrop($"the flow policy drops {packet} {where}: deny flow at {flow.Location}", $"delete the deny flow at {flow.Location} and re-plan")
                : new FilterDrop($"the flow policy drops {packet} {where}: no allow flow matches it",
                    $"declare it as an allow flow and re-plan (network.policy: flows), which adds {tool} -I {PlannedRuleset.IptablesFlowPolicyChain(inInterface)} 2 {FlowPolicyOpening(packet, inInterface)}");
        }
        if (blocker.Rule is { } rule)
        {
            return new FilterDrop($"rule '{rule.Text}' drops {packet} {where}", rule.Family == "inet"
                ? $"delete the rule from table {rule.Family} {rule.Table} chain {rule.Chain} (or the node's drop: entry that plans it)"
                : $"delete the rule ({tool} -D {rule.Text}, or the node's drop: entry that plans it)");
        }
        if (chain == Chain.Forward && host.Ruleset.Chain(blocker.Chain.Family, blocker.Chain.Table, DockerUser) is not null)
        {
            return new FilterDrop($"Docker's FORWARD policy is DROP and no rule in {DockerUser} accepts {packet} {where}",
                $"{tool} -I {DockerUser} -i {inInterface} -o {outInterface} -j ACCEPT (docker_user: true on the node plans it)");
        }
        var opening = chain == Chain.Input
            ? Opening(evaluated.Family, "INPUT", evaluated.DestinationPort is { } port
                ? [("iifname", inInterface), ("l4proto", evaluated.Protocol!), ("dport", port.ToString(System.Globalization.CultureInfo.InvariantCulture))]
                : [("iifname", inInterface), ("l4proto", evaluated.Protocol!)])
            : Opening(evaluated.Family, "FORWARD", [("iifname", inInterface), ("oifname", outInterface!)]);
        return new FilterDrop($"{ChainName(chain)} policy is DROP and no rule accepts {packet} {where}", $"{tool} -I {IptablesSyntax.Rule(opening)}");
    }

    private const string DockerUser = "DOCKER-USER";

    private static string ChainName(Chain chain) => chain.ToString().ToUpperInvariant();

    private static NetfilterRule Opening(IpFamily family, string chain, (string Key, string Value)[] matches) =>
        new(family.Nft, "filter", chain, matches.ToDictionary(m => m.Key, m => m.Value), "accept", false, "");

    /// <summary>The rule of the flow policy's chain that accepts the packet's connection (after the established/related accept, hence position 2).</summary>
    private static string FlowPolicyOpening(Packet packet, string tunnel) =>
        IptablesSyntax.Spec(PlannedRules.FlowPolicyRule(packet.IsV4 ? IpFamily.V4.Nft : IpFamily.V6.Nft, "filter", PlannedRuleset.IptablesFlowPolicyChain(tunnel),
            packet.Source.ToString(), packet.Destination.ToString(), packet.Protocol.ToTopology(), packet.Protocol == Protocol.Icmp ? null : packet.DestinationPort, "accept"));
}
