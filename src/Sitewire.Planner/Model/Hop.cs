namespace Sitewire.Planner.Model;

/// <summary>One host a packet passed: where it came in and left, the packet as it left (after NAT), and what the host decided.</summary>
public sealed record Hop(string Host, string? InInterface, string? OutInterface, Packet Packet, HopNotes Notes)
{
    /// <summary>What the host decided, in words.</summary>
    public string Decision => Notes.Text;

    public override string ToString() =>
        $"{Host}{(InInterface is null ? "" : " in " + InInterface)}{(OutInterface is null ? "" : " out " + OutInterface)}: {Packet} — {Decision}";
}
