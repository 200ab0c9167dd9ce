namespace Sitewire.Planner.Model;

/// <summary>
/// A WireGuard interface with its peers. Outbound, the destination picks the peer by longest AllowedIP match across
/// all peers (a prefix claimed twice belongs to the peer added last, as in WireGuard); inbound, the sender is found by
/// its public key and the inner source must be inside that peer's AllowedIPs.
/// </summary>
public sealed class WireGuardInterface(Host host, string name, string publicKey)
    : HostInterface(host, name, segment: null)
{
    private readonly List<WireGuardPeer> _peers = [];
    private readonly Dictionary<string, WireGuardPeer> _peersByKey = new(StringComparer.Ordinal);
    private readonly PrefixTable<WireGuardPeer> _cryptokeyRoutes = new();

    public string PublicKey { get; } = publicKey;

    /// <summary>The UDP port peers dial (ListenPort), when the interface listens on a fixed one.</summary>
    public int? ListenPort { get; set; }

    /// <summary>The UDP port a dialer must send to for its handshake to reach <see cref="ListenPort"/> (<see cref="Sitewire.Config.Topology.Node.PortReaching"/>).</summary>
    public int? DialedPort { get; set; }

    /// <summary>The interface its encrypted UDP goes in and out through (the node's uplink), when known.</summary>
    public HostInterface? OuterInterface { get; set; }
    public IReadOnlyList<WireGuardPeer> Peers => _peers;

    public WireGuardPeer AddPeer(string name, string publicKey, IReadOnlyList<Prefix> allowedIps, string? endpoint = null, int persistentKeepalive = 0)
    {
        var peer = new WireGuardPeer(name, publicKey, allowedIps, endpoint, persistentKeepalive);
        _peers.Add(peer);
        _peersByKey[publicKey] = peer;
        foreach (var prefix in allowedIps)
        {
            _cryptokeyRoutes.Set(prefix, peer);
        }
        return peer;
    }

    /// <summary>Makes room for peers about to be added with these AllowedIPs in all: a 1,000-node mesh adds 999 peers to each interface.</summary>
    public void ReservePeers(int count, IEnumerable<Prefix> allowedIps)
    {
        _peers.EnsureCapacity(_peers.Count + count);
        _peersByKey.EnsureCapacity(_peersByKey.Count + count);
        _cryptokeyRoutes.Reserve(allowedIps);
    }

    /// <summary>Forgets every peer (verify --live replaces the planned peers with the live ones).</summary>
    public void RemovePeers()
    {
        _peers.Clear();
        _peersByKey.Clear();
        _cryptokeyRoutes.Clear();
    }

    public WireGuardPeer? PeerFor(Address destination, out Prefix matched) =>
        _cryptokeyRoutes.TryMatch(destination, out matched, out var peer) ? peer : null;

    public WireGuardPeer? PeerByKey(string publicKey) => _peersByKey.GetValueOrDefault(publicKey);
}
