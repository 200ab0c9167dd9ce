using Sitewire.Host.Doctor;
using Sitewire.Host.Doctor.Checks;
using Sitewire.Host.Linux;
using Sitewire.Netfilter;
using Sitewire.Planner.Model;
using ModelHost = Sitewire.Planner.Model.Host;

namespace Sitewire.Host.Live;

/// <summary>
/// A node's netfilter as its snapshot recorded it, for verify --live: every base chain of the live ruleset judged by the
/// doctor's <see cref="NetfilterEvaluator"/> (as the plan's rules are, <see cref="PlannedNetfilter"/>), and firewalld (while it
/// runs) by its zones and policies as the plan's model judges them (<see cref="Firewalld"/>), not rule by rule through its own tables. A rule the evaluator cannot read never decides:
/// the verdict then names it as a doubt.
/// </summary>
internal sealed class LiveNetfilter : IHostNetfilter
{
    private readonly string _node;
    private readonly NetfilterRuleset _rules;
    private readonly Firewalld? _firewalld;
    private readonly FirewalldState? _firewalldState;

    public LiveNetfilter(string node, NetfilterRuleset ruleset, FirewalldState? firewalld)
    {
        _node = node;
        _rules = firewalld is null ? ruleset : new NetfilterRuleset(
            [.. ruleset.Chains.Where(c => !FirewalldCheck.OwnsChain(c))], [.. ruleset.Rules.Where(r => r.Table != "firewalld")]);
        _firewalldState = firewalld;
        _firewalld = firewalld is null ? null : LiveFirewalld.Of(firewalld);
    }

    public FilterDrop? Check(Chain chain, string inInterface, string? outInterface, Packet packet, bool established)
    {
        var live = NetfilterPackets.Of(packet, inInterface, chain == Chain.Forward ? outInterface : null, established);
        if (NetfilterEvaluator.Blocker(_rules, NetfilterPackets.Hook(chain), live) is { } blocker)
        {
            var where = outInterface is null || chain == Chain.Input ? $"arriving on {inInterface}" : $"forwarded {inInterface} → {outInterface}";
            var doubt = blocker.Doubt is { } rule ? $", unless {rule} accepts it first" : "";
            return new FilterDrop($"{Decided(blocker)} drops {packet} {where}{doubt}", string.Join("; or ", Fixes(_rules, blocker, live)));
        }
        return established ? null : _firewalld?.Check(chain, inInterface, outInterface, packet);
    }

    public string Accepting(Chain chain, string inInterface, string? outInterface, Packet packet, bool established)
    {
        var live = NetfilterPackets.Of(packet, inInterface, chain == Chain.Forward ? outInterface : null, established);
        var verdicts = NetfilterEvaluator.Walk(_rules, NetfilterPackets.Hook(chain), "filter", live);
        var accepted = verdicts.Count == 0 ? $"no {NetfilterPackets.Hook(chain)} chain on {_node}" : string.Join(", ", verdicts.Select(Decided));
        var doubts = verdicts.Where(v => !v.IsCertain).Select(v => $"; unless {v.Doubt} drops it");
        var firewalld = _firewalld is null || established ? "" : "; " + _firewalld.Accepting(chain, inInterface, outInterface, packet);
        return $"live {accepted}{string.Concat(doubts)}{firewalld}";
    }

    public FilterDrop? CheckInvalid(ModelHost host, Packet packet) => _firewalld?.CheckInvalid(host, packet);

    public FilterDrop? CheckOneWayTcp(ModelHost host, Packet packet) => _firewalld?.CheckOneWayTcp(host, packet);

    public bool Masquerades(string outInterface, Packet packet) =>
        NetfilterEvaluator.SourceNat(_rules, NetfilterPackets.Of(packet, null, outInterface, established: false)) is not null
        || _firewalldState?.Zone(_firewalldState.ZoneOf(outInterface)) is { Masquerade: true };

    /// <summary>What decided: a chain's policy names its chain; a rule gets it added.</summary>
    private static string Decided(ChainVerdict verdict) => verdict.Rule is null ? verdict.DecidedBy : $"{verdict.DecidedBy} in {Describe(verdict.Chain)}";

    private static string Describe(NetfilterChain chain) => $"{(chain.Legacy ? "iptables-legacy " : "")}{chain.Family} {chain.Table} {chain.Name}";

    /// <summary>How to let the packet through the chain that dropped it: delete the deciding rule, or insert an accept above the policy.</summary>
    private static string[] Fixes(NetfilterRuleset ruleset, ChainVerdict blocker, NetfilterPacket packet) =>
        blocker.Rule is { } rule ? [$"delete the rule `{rule.Text}` from {Describe(blocker.Chain)}"]
        : packet.OutInterface is not null ? AcceptFixes.Forward(ruleset, blocker, packet)
        : AcceptFixes.Input(blocker.Chain, packet);
}
