using Sitewire.Host.Doctor;
using Sitewire.Host.Doctor.Checks;
using Sitewire.Host.Linux;
using Sitewire.Netfilter;
using Sitewire.Planner.Model;

namespace Sitewire.Host.Live;

/// <summary>
/// A node's netfilter as its snapshot recorded it, for verify --live: the same <see cref="RulesetNetfilter"/> the plan's rules
/// go through (<see cref="PlannedNetfilter"/>), on the live ruleset without firewalld's own tables, and firewalld's zones as
/// `firewall-cmd` reported them. A drop names the live rule or chain policy and the command that opens the way; a rule the
/// evaluator cannot read never decides, the verdict names it as a doubt.
/// </summary>
internal sealed class LiveNetfilter : RulesetNetfilter
{
    private readonly string _node;

    public LiveNetfilter(string node, NetfilterRuleset ruleset, FirewalldState? firewalld)
    {
        _node = node;
        Rules = firewalld is null ? ruleset : new NetfilterRuleset(
            [.. ruleset.Chains.Where(c => !FirewalldCheck.OwnsChain(c))], [.. ruleset.Rules.Where(r => r.Table != "firewalld")]);
        Firewalld = firewalld is null ? null : LiveFirewalld.Of(firewalld);
    }

    protected override NetfilterRuleset Rules { get; }

    protected override Firewalld? Firewalld { get; }

    protected override FilterDrop Explain(ChainVerdict blocker, Chain chain, string where, Packet packet, NetfilterPacket evaluated)
    {
        var doubt = blocker.Doubt is { } rule ? $", unless {rule} accepts it first" : "";
        return new FilterDrop($"{Decided(blocker)} drops {packet} {where}{doubt}", string.Join("; or ", Fixes(Rules, blocker, evaluated)));
    }

    protected override Func<IReadOnlyList<ChainVerdict>, Chain, bool, string> Describer => Describe;

    private string Describe(IReadOnlyList<ChainVerdict> verdicts, Chain chain, bool established)
    {
        var accepted = verdicts.Count == 0 ? $"no {NetfilterPackets.Hook(chain)} chain on {_node}" : string.Join(", ", verdicts.Select(Decided));
        var doubts = verdicts.Where(v => !v.IsCertain).Select(v => $"; unless {v.Doubt} drops it");
        return $"live {accepted}{string.Concat(doubts)}";
    }

    /// <summary>What decided: a chain's policy names its chain; a rule gets it added.</summary>
    private static string Decided(ChainVerdict verdict) => verdict.Rule is null ? verdict.DecidedBy : $"{verdict.DecidedBy} in {Describe(verdict.Chain)}";

    private static string Describe(NetfilterChain chain) => $"{(chain.Legacy ? "iptables-legacy " : "")}{chain.Family} {chain.Table} {chain.Name}";

    /// <summary>How to let the packet through the chain that dropped it: delete the deciding rule, or insert an accept above the policy.</summary>
    private static string[] Fixes(NetfilterRuleset ruleset, ChainVerdict blocker, NetfilterPacket packet) =>
        blocker.Rule is { } rule ? [$"delete the rule `{rule.Text}` from {Describe(blocker.Chain)}"]
        : packet.OutInterface is not null ? AcceptFixes.Forward(ruleset, blocker, packet)
        : AcceptFixes.Input(ruleset, blocker, packet);
}
