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

/// <summary>One filter rule (iptables/nftables alike); unset fields match anything.</summary>
public sealed record FilterRule(
    Chain Chain,
    Verdict Verdict,
    string? InInterface = null,
    string? OutInterface = null,
    Protocol? Protocol = null,
    ushort? DestinationPort = null,
    Prefix? Source = null,
    Prefix? Destination = null)
{
    public bool Matches(Chain chain, string inInterface, string? outInterface, Packet packet) =>
        chain == Chain
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
