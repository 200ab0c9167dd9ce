namespace Sitewire.Planner.Model;

public enum Chain
{
    Input,
    Forward,
}

public enum Verdict
{
    Accept,
    Drop,
}

/// <summary>
/// One filter rule (iptables/nftables alike); unset fields match anything. <see cref="NewOnly"/>: the rule sits below an
/// established/related accept (as in the flow policy's chain), so it never sees a reply of a tracked connection.
/// <see cref="Policy"/>: the flow policy rule it was planned from (null: the flow policy's final drop, when
/// <see cref="NewOnly"/>), so a drop names the flow.
/// </summary>
public sealed record FilterRule(
    Chain Chain,
    Verdict Verdict,
    string? InInterface = null,
    string? OutInterface = null,
    Protocol? Protocol = null,
    ushort? DestinationPort = null,
    Prefix? Source = null,
    Prefix? Destination = null,
    bool NewOnly = false,
    Sitewire.Config.Topology.FlowRule? Policy = null)
{
    public bool Matches(Chain chain, string inInterface, string? outInterface, Packet packet, bool established) =>
        !(NewOnly && established)
        && chain == Chain
        && (InInterface is null || InInterface == inInterface)
        && (OutInterface is null || OutInterface == outInterface)
        && (Protocol is null || Protocol == packet.Protocol)
        && (DestinationPort is null || DestinationPort == packet.DestinationPort)
        && (Source is not { } source || source.Contains(packet.Source))
        && (Destination is not { } destination || destination.Contains(packet.Destination));

    public override string ToString() =>
        $"{Chain.ToString().ToUpperInvariant()}"
        + (InInterface is null ? "" : $" -i {InInterface}")
        + (OutInterface is null ? "" : $" -o {OutInterface}")
        + (Protocol is null ? "" : $" -p {Protocol.Value.Name()}")
        + (DestinationPort is null ? "" : $" --dport {DestinationPort}")
        + (Source is null ? "" : $" -s {Source}")
        + (Destination is null ? "" : $" -d {Destination}")
        + $" -j {Verdict.ToString().ToUpperInvariant()}";
}
