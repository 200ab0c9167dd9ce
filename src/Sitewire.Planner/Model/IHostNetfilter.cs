namespace Sitewire.Planner.Model;

/// <summary>
/// What a host's netfilter does with a packet, as the flow simulator asks it: the filter's verdict at input or forward (with
/// the fix when it drops), what accepted it (for traces), the drops conntrack's state brings, and source NAT on the way out.
/// Answered from the plan (<see cref="PlannedNetfilter"/>) or from a node's live ruleset (verify --live).
/// </summary>
public interface IHostNetfilter
{
    /// <summary>Null when the packet passes, else why it is dropped and the fix. A forwarded packet has an <paramref name="outInterface"/>.</summary>
    FilterDrop? Check(Chain chain, string inInterface, string? outInterface, Packet packet, bool established);

    /// <summary>
    /// What lets a packet through that <see cref="Check"/> passes, for traces ("input accepted by …"): written when read, from the
    /// rules as they are now. It holds nothing of the model but the rules, so a report keeps no model alive through its traces.
    /// </summary>
    DeferredNote Accepting(Chain chain, string inInterface, string? outInterface, Packet packet, bool established);

    /// <summary>Why a reply conntrack calls INVALID (its request never crossed this host) is dropped here, or null.</summary>
    FilterDrop? CheckInvalid(Host host, Packet packet);

    /// <summary>Why the packets of a TCP connection after its SYN are dropped here when the SYN-ACK went around this host, or null.</summary>
    FilterDrop? CheckOneWayTcp(Host host, Packet packet);

    /// <summary>Whether a forwarded packet leaving by <paramref name="outInterface"/> gets that interface's address as its source.</summary>
    bool Masquerades(string outInterface, Packet packet);
}
