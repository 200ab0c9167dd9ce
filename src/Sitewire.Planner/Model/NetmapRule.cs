namespace Sitewire.Planner.Model;

public enum NetmapDirection
{
    /// <summary>nat PREROUTING: packets arriving on the interface for <see cref="NetmapRule.Match"/> get their destination mapped.</summary>
    Destination,
    /// <summary>nat POSTROUTING: packets leaving by the interface from <see cref="NetmapRule.Match"/> get their source mapped.</summary>
    Source,
}

/// <summary>A 1:1 prefix translation (iptables NETMAP, nftables prefix NAT): the address's host bits kept, its prefix bits those of <see cref="To"/>.</summary>
public sealed record NetmapRule(NetmapDirection Direction, string Interface, Prefix Match, Prefix To)
{
    public bool Matches(string interfaceName, Packet packet) =>
        string.Equals(interfaceName, Interface, StringComparison.Ordinal)
        && Match.Contains(Direction == NetmapDirection.Destination ? packet.Destination : packet.Source);

    public Packet Apply(Packet packet) => Direction == NetmapDirection.Destination
        ? packet with { Destination = To.Translate(packet.Destination) }
        : packet.WithSource(To.Translate(packet.Source));

    public override string ToString() =>
        Direction == NetmapDirection.Destination ? $"PREROUTING -i {Interface} -d {Match} -j NETMAP --to {To}" : $"POSTROUTING -o {Interface} -s {Match} -j NETMAP --to {To}";
}
