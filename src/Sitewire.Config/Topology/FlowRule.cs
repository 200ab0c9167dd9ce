using System.Net;
using System.Net.Sockets;
using Sitewire.Config.Diagnostics;

namespace Sitewire.Config.Topology;

/// <summary>
/// One <c>flows:</c> entry of one address family as a filter rule: new connections from any of <see cref="Sources"/>
/// to any of <see cref="Destinations"/> with <see cref="Protocol"/> (ICMP: echo, no port) and <see cref="Port"/>.
/// A group or <c>site:NODE</c> end stands for all its prefixes (a site: its LAN subnets, unnamed machines included),
/// so the rule covers more than the expanded flows verify and the lab try.
/// </summary>
public sealed record FlowRule(
    FlowExpectation Expect,
    IReadOnlyList<IPNetwork> Sources,
    IReadOnlyList<IPNetwork> Destinations,
    TransportProtocol Protocol,
    int? Port,
    SourceLocation Location)
{
    public AddressFamily Family => Destinations[0].BaseAddress.AddressFamily;

    public override string ToString() =>
        $"{Expect.ToString().ToLowerInvariant()} {string.Join(",", Sources)} -> {string.Join(",", Destinations)}"
        + (Port is null ? " icmp" : $" {Port}/{Protocol.ToString().ToLowerInvariant()}");
}
