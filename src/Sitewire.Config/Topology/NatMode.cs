namespace Sitewire.Config.Topology;

/// <summary>
/// How a site's LAN sees tunnel traffic. <c>masquerade</c>: the node rewrites the source to its LAN
/// address, LAN hosts need no route back. <c>routed</c>: sources are kept, the LAN's router must
/// route the remote prefixes to the node. <c>none</c>: nodes without a LAN (relays, clients).
/// </summary>
public enum NatMode
{
    None,
    Masquerade,
    Routed,
}
