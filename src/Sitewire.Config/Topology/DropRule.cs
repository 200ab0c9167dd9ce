using System.Net;

namespace Sitewire.Config.Topology;

public enum FilterChain
{
    Forward,
    Input,
}

/// <summary>
/// A rule in the node's own packet filter that drops what it matches (a node's <c>drop:</c>, such as a hand-written
/// <c>PostUp = iptables -I FORWARD ... -j DROP</c> that import kept). It sits above every accept, the established/related
/// one included, as <c>-I</c> puts it, so it also drops replies it matches. Unset fields match anything;
/// <see cref="Port"/> is a destination port and needs <see cref="Protocol"/>.
/// </summary>
public sealed record DropRule(
    FilterChain Chain,
    string? InInterface,
    string? OutInterface,
    TransportProtocol? Protocol,
    int? Port,
    IPNetwork? Source,
    IPNetwork? Destination)
{
    /// <summary>The address family the rule is limited to by its prefixes; null when it names none (both families).</summary>
    public System.Net.Sockets.AddressFamily? Family => (Source ?? Destination)?.BaseAddress.AddressFamily;
}
