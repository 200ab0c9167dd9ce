namespace Sitewire.Planner.Model;

/// <summary>
/// A host's main routing table: longest prefix wins; the first route for a prefix stays, as with `ip route add`.
/// The routes wg-quick installs for AllowedIPs (Table = auto) are not copied in: the WireGuard interface's own prefix
/// table answers for them, so a node with a thousand peers does not hold every prefix twice. Against an equal prefix
/// an existing route wins, except an internet uplink default, which wg-quick's policy routing overrides for 0.0.0.0/0 and ::/0.
/// </summary>
public sealed class RoutingTable
{
    private readonly PrefixTable<Route> _routes = new();
    private readonly List<WireGuardInterface> _wgQuick = [];

    public int Count => _routes.Count;

    public bool Add(Route route) => _routes.TryAdd(route.Prefix, route);

    /// <summary>Routes every AllowedIP of the interface's peers to it, as `wg-quick up` does.</summary>
    public void AddWgQuickRoutes(WireGuardInterface wireGuard) => _wgQuick.Add(wireGuard);

    /// <summary>Forgets every route, wg-quick's among them (verify --live replaces the planned table with the live one).</summary>
    public void Clear()
    {
        _routes.Clear();
        _wgQuick.Clear();
    }

    public bool Contains(Prefix prefix) => _routes.TryGetExact(prefix, out _);

    public Route? Lookup(Address destination)
    {
        var best = _routes.TryMatch(destination, out var prefix, out var route) ? route : null;
        foreach (var wireGuard in _wgQuick)
        {
            if (wireGuard.PeerFor(destination, out var allowed) is not null
                && (best is null || allowed.Length > prefix.Length || (allowed.Length == prefix.Length && best.Origin == RouteOrigin.Uplink)))
            {
                best = new Route(allowed, wireGuard, null, RouteOrigin.WgQuick);
                prefix = allowed;
            }
        }
        return best;
    }
}
