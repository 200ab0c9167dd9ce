using System.Globalization;

namespace Sitewire.Planner.Model;

/// <summary>The header fields the model routes, filters and translates on (ports are 0 for ICMP).</summary>
public readonly record struct Packet(Protocol Protocol, Address Source, ushort SourcePort, Address Destination, ushort DestinationPort)
{
    public bool IsV4 => Destination.IsV4;

    public Packet Reversed() => new(Protocol, Destination, DestinationPort, Source, SourcePort);

    public Packet WithSource(Address source) => this with { Source = source };

    public override string ToString() => Protocol == Protocol.Icmp
        ? $"{Source} → {Destination} icmp"
        : string.Create(CultureInfo.InvariantCulture,
            $"{WithPort(Source, SourcePort)} → {WithPort(Destination, DestinationPort)}/{Protocol.Name()}");

    private static string WithPort(Address address, ushort port) =>
        address.IsV4
        ? string.Create(CultureInfo.InvariantCulture, $"{address}:{port}")
        : string.Create(CultureInfo.InvariantCulture, $"[{address}]:{port}");
}
