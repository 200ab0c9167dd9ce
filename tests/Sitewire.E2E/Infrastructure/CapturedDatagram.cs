using System.Net;

namespace Sitewire.E2E.Infrastructure;

/// <summary>A UDP datagram seen on a link: addresses, ports and payload.</summary>
public sealed record CapturedDatagram(IPAddress Source, int SourcePort, IPAddress Destination, int DestinationPort, byte[] Payload)
{
    /// <summary>The WireGuard message type (first payload byte), or -1 for an empty payload.</summary>
    public int MessageType => Payload.Length == 0 ? -1 : Payload[0];
}
