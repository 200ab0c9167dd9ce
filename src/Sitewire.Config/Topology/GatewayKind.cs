namespace Sitewire.Config.Topology;

/// <summary>
/// Which gateway a LAN host uses: <c>node</c> (the site node itself), <c>router-with-route</c> (a LAN
/// router that routes the remote prefixes to the node), <c>router-without-route</c> (a router that
/// knows nothing of the tunnel: replies only return if the node masquerades), <c>route-only</c> (the host keeps its
/// own default gateway, its <c>router</c> when given, and has a static route to each remote prefix via the node).
/// </summary>
public enum GatewayKind
{
    Node,
    RouterWithRoute,
    RouterWithoutRoute,
    RouteOnly,
}
