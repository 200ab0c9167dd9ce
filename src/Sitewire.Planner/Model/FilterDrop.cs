namespace Sitewire.Planner.Model;

/// <summary>Why a host's filter drops a packet, and the command that lets it through; it prints as the reason.</summary>
public sealed record FilterDrop(string Reason, string Fix)
{
    public override string ToString() => Reason;
}
