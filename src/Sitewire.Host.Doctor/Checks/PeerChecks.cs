using Sitewire.Host.Linux;

namespace Sitewire.Host.Doctor.Checks;

/// <summary>
/// Per peer: the latest handshake (none, or older than 3 minutes) and why it may be stale; keepalive behind NAT;
/// the endpoint and the route toward it; the MTU against the path's interface.
/// </summary>
internal static class PeerChecks
{
    private static readonly TimeSpan Stale = TimeSpan.FromMinutes(3);

    public static IEnumerable<DoctorFinding> Run(DoctorContext context)
    {
        foreach (var peer in context.WireGuard.Peers)
        {
            var name = $"peer {Short(peer.PublicKey)} ({string.Join(", ", peer.AllowedIps)})";
            foreach (var finding in Handshake(context, peer, name))
            {
                yield return finding;
            }
            if (peer.Endpoint is not null && context.BehindNat && peer.PersistentKeepalive is null)
            {
                yield return DoctorFinding.Problem($"keepalive {name}",
                    "keepalive missing behind NAT: this node sits behind NAT and sends no keepalives, so the NAT forgets the mapping and the peer cannot reach this node",
                    $"wg set {context.Name} peer {peer.PublicKey} persistent-keepalive 25",
                    $"and in /etc/wireguard/{context.Name}.conf, [Peer] {Short(peer.PublicKey)}: PersistentKeepalive = 25");
            }
            if (peer.Endpoint is { } endpoint)
            {
                var host = NodeSnapshotReader.EndpointHost(endpoint);
                if (context.Snapshot.EndpointRoutes.TryGetValue(host, out var route) && route.Device is null)
                {
                    yield return DoctorFinding.Problem($"endpoint {name}", $"no route to the endpoint {endpoint}: {route.Error}", "ip route add default via GATEWAY (the uplink's router)");
                }
                else if (route?.Device is { } device && context.Snapshot.Link(device) is { } uplink && context.Snapshot.Link(context.Name) is { } tunnel)
                {
                    var overhead = host.Contains(':', StringComparison.Ordinal) ? 80 : 60;
                    yield return tunnel.Mtu + overhead > uplink.Mtu
                        ? DoctorFinding.Problem($"mtu {name}", $"{context.Name} mtu {tunnel.Mtu} + {overhead} bytes of WireGuard/UDP/IP overhead exceeds {device} mtu {uplink.Mtu} on the path to {endpoint}: large packets are dropped",
                            $"ip link set {context.Name} mtu {uplink.Mtu - overhead}", $"and MTU = {uplink.Mtu - overhead} in /etc/wireguard/{context.Name}.conf")
                        : DoctorFinding.Ok($"endpoint {name}", $"{endpoint} via {device}{(route.Source is null ? "" : $" from {route.Source}")}, mtu {tunnel.Mtu} + {overhead} fits {device} mtu {uplink.Mtu}");
                }
            }
        }
    }

    private static IEnumerable<DoctorFinding> Handshake(DoctorContext context, WireGuardPeerState peer, string name)
    {
        var check = $"handshake {name}";
        if (peer.LatestHandshake is { } latest && context.Snapshot.Now - latest <= Stale)
        {
            yield return DoctorFinding.Ok(check, $"latest handshake {(context.Snapshot.Now - latest).TotalSeconds:0}s ago, rx {peer.ReceiveBytes} B, tx {peer.TransmitBytes} B");
            yield break;
        }
        var age = peer.LatestHandshake is { } at ? $"latest handshake {(context.Snapshot.Now - at).TotalMinutes:0} minutes ago" : "no handshake yet";
        if (peer.Endpoint is null)
        {
            yield return DoctorFinding.Warning(check,
                $"{age}; this side has no endpoint for the peer, so only the peer can start a handshake: it needs this node's address as its Endpoint (and a keepalive if it is behind NAT)");
        }
        else if (peer.LatestHandshake is null || peer.PersistentKeepalive is not null)
        {
            yield return DoctorFinding.Problem(check,
                $"{age} with {peer.Endpoint}: the peer does not answer; check that the peer is up with this node's public key, that its UDP port is open in its firewall, and the path to it",
                $"ping -c 3 {NodeSnapshotReader.EndpointHost(peer.Endpoint)}", $"wg show {context.Name} (on the peer: is this node's key listed?)");
        }
        else
        {
            yield return DoctorFinding.Warning(check, $"{age}; no keepalive is set, so an idle tunnel does not handshake: send traffic or set a keepalive",
                $"wg set {context.Name} peer {peer.PublicKey} persistent-keepalive 25");
        }
    }

    private static string Short(string publicKey) => publicKey.Length > 8 ? publicKey[..8] + "…" : publicKey;
}
