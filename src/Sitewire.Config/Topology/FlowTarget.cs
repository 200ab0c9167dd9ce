using System.Net;

namespace Sitewire.Config.Topology;

/// <summary>
/// The destination of a flow, written <c>NAME[:PORT[/PROTO]]</c> or <c>ADDRESS[:PORT[/PROTO]]</c>.
/// <see cref="Name"/> is a host or node name when the flow names one; <see cref="Address"/> is
/// always resolved (a node resolves to its overlay address). No port means ICMP echo.
/// </summary>
public sealed record FlowTarget(string? Name, IPAddress Address, int? Port, TransportProtocol Protocol)
{
    public override string ToString()
    {
        var target = Name ?? Address.ToString();
        return Port is null ? target : $"{target}:{Port}/{Protocol.ToString().ToLowerInvariant()}";
    }
}
