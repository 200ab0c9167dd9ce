using System.Net;
using System.Net.Sockets;

namespace Sitewire.Config.Topology;

/// <summary>
/// One member of a flow's end: a named host or node, a site (<c>site:NODE</c>: the hosts on its LAN, and as a filter
/// its LAN subnets), or an address literal. <see cref="Names"/> are the hosts and nodes verify and the lab try the flow
/// from or to; <see cref="Scope"/> the prefixes the policy's rule matches.
/// </summary>
public sealed record FlowEnd(NamedTarget? Named, Node? Site, IReadOnlyList<LanHost> SiteHosts, IPAddress? Literal)
{
    public const string SitePrefix = "site:";

    public static FlowEnd OfNamed(NamedTarget named) => new(named, null, [], null);

    public static FlowEnd OfSite(Node site, IEnumerable<LanHost> hosts) => new(null, site, [.. hosts], null);

    public static FlowEnd OfLiteral(IPAddress literal) => new(null, null, [], literal);

    public IEnumerable<string> Names => Named is { } named ? [named.Name] : SiteHosts.Select(host => host.Name);

    /// <summary>The prefixes of <paramref name="family"/> this member stands for in a filter rule.</summary>
    public IEnumerable<IPNetwork> Scope(AddressFamily family) =>
        Site is { } site ? site.LanPrefixes.Where(prefix => prefix.BaseAddress.AddressFamily == family)
        : (Literal ?? Named!.AddressOf(family)) is { } address && address.AddressFamily == family ? [new IPNetwork(address, family == AddressFamily.InterNetwork ? 32 : 128)]
        : [];

    public override string ToString() => Site is { } site ? SitePrefix + site.Name : Named?.Name ?? Literal!.ToString();
}
