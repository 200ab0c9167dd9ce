namespace Sitewire.Config.Topology;

/// <summary>
/// <c>network.policy</c>: what the nodes' forward filters let in from the tunnel. <see cref="Open"/> (the default):
/// everything between the tunnel and the LANs, the flows only checked. <see cref="Flows"/>: the flows are the allow
/// list, enforced: a new connection arriving from the tunnel passes only when an allow flow matches it (replies pass
/// by conntrack), and a deny flow is dropped even where an allow flow covers it.
/// </summary>
public enum FlowPolicy
{
    Open,
    Flows,
}
