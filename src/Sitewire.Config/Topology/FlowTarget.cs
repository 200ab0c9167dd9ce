using System.Net;
using System.Net.Sockets;

namespace Sitewire.Config.Topology;

/// <summary>
/// The destination of a flow, written <c>NAME[:PORT[/PROTO]]</c> or <c>ADDRESS[:PORT[/PROTO]]</c>.
/// <see cref="Name"/> is a host or node name when the flow names one; <see cref="Address"/> is
/// always resolved, in the flow's family (a node resolves to its overlay address of that family).
/// No port means ICMP echo. A named IPv6 target prints as <c>NAME:PORT/PROTO over IPv6</c>.
/// </summary>
public sealed record FlowTarget(string? Name, IPAddress Address, int? Port, TransportProtocol Protocol)
{
    public override string ToString()
    {
        var target = Name ?? (Address.AddressFamily == AddressFamily.InterNetworkV6 && Port is not null ? $"[{Address}]" : Address.ToString());
        var text = Port is null ? target : $"{target}:{Port}/{Protocol.ToString().ToLowerInvariant()}";
        return Name is not null && Address.AddressFamily == AddressFamily.InterNetworkV6 ? text + " over IPv6" : text;
    }
}
