namespace Sitewire.Planner.Model;

/// <summary>
/// How a packet left through a WireGuard interface, for traces: the peer its destination picked, by which AllowedIP, the
/// receiving node's interface, and where the outer datagram goes (the peer's endpoint, or where the receiver last sent from,
/// kept open by its keepalive when it has one). Values only, so a trace keeps no model alive.
/// </summary>
public readonly record struct CryptokeyDecision(string Peer, Prefix Matched, string RemoteHost, string RemoteInterface, string? Endpoint, int RemoteKeepalive)
{
    public override string ToString() => $"cryptokey: peer {Peer} (AllowedIP {Matched}) → {RemoteHost}:{RemoteInterface}; {Outer}";

    private string Outer =>
        Endpoint is not null
            ? $"outer UDP to endpoint {Endpoint}"
            : RemoteKeepalive > 0
                ? $"outer UDP to where {RemoteHost} last sent from (no endpoint; {RemoteHost} keeps the session up, PersistentKeepalive {RemoteKeepalive})"
                : $"outer UDP to where {RemoteHost} last sent from (no endpoint; the session {RemoteHost} opened for this flow)";
}
