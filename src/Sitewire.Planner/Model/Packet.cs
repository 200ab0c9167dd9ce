using System.Globalization;

namespace Sitewire.Planner.Model;

/// <summary>The header fields the model routes, filters and translates on (ports are 0 for ICMP).</summary>
public readonly record struct Packet(Protocol Protocol, uint Source, ushort SourcePort, uint Destination, ushort DestinationPort)
{
    public Packet Reversed() => new(Protocol, Destination, DestinationPort, Source, SourcePort);

    public Packet WithSource(uint source) => this with { Source = source };

    public Packet WithDestination(uint destination) => this with { Destination = destination };

    public override string ToString() => Protocol == Protocol.Icmp
        ? $"{Ipv4.Format(Source)} → {Ipv4.Format(Destination)} icmp"
        : string.Create(CultureInfo.InvariantCulture,
            $"{Ipv4.Format(Source)}:{SourcePort} → {Ipv4.Format(Destination)}:{DestinationPort}/{Protocol.Name()}");
}
