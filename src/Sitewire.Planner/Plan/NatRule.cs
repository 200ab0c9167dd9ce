using System.Net;

namespace Sitewire.Planner.Plan;

public enum NatKind
{
    Masquerade,
}

/// <summary>Source NAT on the way out of <see cref="OutInterface"/> for packets from <see cref="SourcePrefix"/>.</summary>
public sealed record NatRule(NatKind Kind, string OutInterface, IPNetwork SourcePrefix);
