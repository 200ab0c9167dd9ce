using Sitewire.Netfilter;

namespace Sitewire.Planner.Model;

/// <summary>
/// A host's netfilter as the flow simulator asks it, answered the same way for the plan (<see cref="PlannedNetfilter"/>) and
/// for a live node (verify --live): its <see cref="Rules"/> walked by <see cref="NetfilterEvaluator"/>, every base chain at the
/// hook, then <see cref="Firewalld"/>'s zones for a new connection; source NAT by the rules' nat postrouting or a masquerading
/// zone. Only the words differ: each side says who decided and what opens the way in its owner's terms.
/// </summary>
public abstract class RulesetNetfilter : IHostNetfilter
{
    protected abstract NetfilterRuleset Rules { get; }

    protected abstract Firewalld? Firewalld { get; }

    public FilterDrop? Check(Chain chain, string inInterface, string? outInterface, Packet packet, bool established)
    {
        var evaluated = NetfilterPackets.Of(packet, inInterface, chain == Chain.Forward ? outInterface : null, established);
        if (NetfilterEvaluator.Blocker(Rules, NetfilterPackets.Hook(chain), evaluated) is { } blocker)
        {
            var where = outInterface is null || chain == Chain.Input ? $"arriving on {inInterface}" : $"forwarded {inInterface} → {outInterface}";
            return Explain(blocker, chain, where, packet, evaluated);
        }
        return established ? null : Firewalld?.Check(chain, inInterface, outInterface, packet);
    }

    public DeferredNote Accepting(Chain chain, string inInterface, string? outInterface, Packet packet, bool established) =>
        new AcceptingNote(Rules, established ? null : Firewalld, Describer, chain, inInterface, outInterface, packet, established);

    public FilterDrop? CheckInvalid(Host host, Packet packet) => Firewalld?.CheckInvalid(host, packet);

    public FilterDrop? CheckOneWayTcp(Host host, Packet packet) => Firewalld?.CheckOneWayTcp(host, packet);

    public bool Masquerades(string outInterface, Packet packet) =>
        NetfilterEvaluator.SourceNat(Rules, NetfilterPackets.Of(packet, null, outInterface, established: false)) is not null
        || Firewalld?.ZoneOf(outInterface).Masquerade == true;

    /// <summary>Why <paramref name="blocker"/>'s chain drops the packet (<paramref name="where"/>: how it crosses the host) and the fix.</summary>
    protected abstract FilterDrop Explain(ChainVerdict blocker, Chain chain, string where, Packet packet, NetfilterPacket evaluated);

    /// <summary>
    /// What let the packet through the rules, for traces: the verdict of every base chain at the hook, in words. A function
    /// that holds no host (<see cref="Accepting"/> keeps it).
    /// </summary>
    protected abstract Func<IReadOnlyList<ChainVerdict>, Chain, bool, string> Describer { get; }

    /// <summary>One object per note, not a closure, its delegate and a wrapper: verify keeps the notes of every flow it proves.</summary>
    private sealed class AcceptingNote(NetfilterRuleset rules, Firewalld? firewalld, Func<IReadOnlyList<ChainVerdict>, Chain, bool, string> describe,
        Chain chain, string inInterface, string? outInterface, Packet packet, bool established) : DeferredNote
    {
        public override string Write()
        {
            var hook = NetfilterPackets.Hook(chain);
            var evaluated = NetfilterPackets.Of(packet, inInterface, chain == Chain.Forward ? outInterface : null, established);
            var accepted = describe(NetfilterEvaluator.Walk(rules, hook, "filter", evaluated), chain, established);
            return $"{hook} accepted by {(firewalld is null ? accepted : $"{accepted}; {firewalld.Accepting(chain, inInterface, outInterface, packet)}")}";
        }
    }
}
