namespace Sitewire.Planner.Model;

/// <summary>How a packet left through a WireGuard interface: the peer its destination picked, by which AllowedIP, and where the outer datagram goes.</summary>
public readonly record struct CryptokeyDecision(WireGuardPeer Peer, Prefix Matched, WireGuardInterface Remote, WireGuardPeer Back)
{
    public override string ToString() => $"cryptokey: peer {Peer.Name} (AllowedIP {Matched}) → {Remote}; {Outer}";

    private string Outer =>
        Peer.Endpoint is not null
            ? $"outer UDP to endpoint {Peer.Endpoint}"
            : Back.PersistentKeepalive > 0
                ? $"outer UDP to where {Remote.Host.Name} last sent from (no endpoint; {Remote.Host.Name} keeps the session up, PersistentKeepalive {Back.PersistentKeepalive})"
                : $"outer UDP to where {Remote.Host.Name} last sent from (no endpoint; the session {Remote.Host.Name} opened for this flow)";
}
