namespace Sitewire.Planner.Model;

/// <summary>A host's main routing table: longest prefix wins; the first route for a prefix stays, as with `ip route add`.</summary>
public sealed class RoutingTable
{
    private readonly PrefixTable<Route> _routes = new();

    public int Count => _routes.Count;

    public bool Add(Route route) => _routes.TryAdd(route.Prefix, route);

    public bool Contains(Prefix prefix) => _routes.TryGetExact(prefix, out _);

    public Route? Lookup(uint destination) => _routes.TryMatch(destination, out _, out var route) ? route : null;
}
