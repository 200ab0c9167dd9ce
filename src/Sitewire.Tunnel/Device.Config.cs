using System.Net.Sockets;
using System.Runtime.InteropServices;
using Sitewire.Crypto;
using Sitewire.Tunnel.Configuration;
using Sitewire.Tunnel.Noise;
using Sitewire.Tunnel.Routing;

namespace Sitewire.Tunnel;

/// <summary>Configuration: UAPI set (all or nothing) and get (one consistent snapshot), wireguard-go uapi.go semantics.</summary>
public sealed partial class Device
{
    /// <summary>Applies a whole UAPI set request, or nothing: throws <see cref="ConfigurationException"/> and changes nothing.</summary>
    public void Apply(DeviceUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        List<Peer> removed = [];
        List<Peer> keepaliveNow = [];
        List<Peer> created = [];
        lock (_configLock)
        {
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            var identity = update.PrivateKey is { } privateKey && privateKey != (_identity?.PrivateKey ?? default)
                ? LocalIdentity.Create(privateKey)
                : _identity;
            var ownPublicKey = identity?.PublicKey;
            ValidatePeerCount(update, ownPublicKey);
            ApplyBindSettings(update);

            var peers = update.ReplacePeers ? new Dictionary<Key, Peer>() : new Dictionary<Key, Peer>(_peers);
            var allowedIps = update.ReplacePeers ? new AllowedIps<Peer>() : _allowedIps.Clone();
            if (update.ReplacePeers)
            {
                removed.AddRange(_peers.Values);
            }
            if (!ReferenceEquals(identity, _identity))
            {
                foreach (var peer in peers.Values.Where(p => p.PublicKey == ownPublicKey).ToList())
                {
                    peers.Remove(peer.PublicKey);
                    allowedIps.RemoveAll(peer);
                    removed.Add(peer);
                }
            }
            foreach (var change in update.Peers)
            {
                ApplyPeer(change, ownPublicKey, peers, allowedIps, removed, created, keepaliveNow);
            }

            var identityChanged = !ReferenceEquals(identity, _identity);
            _identity = identity;
            _peers = peers;
            _allowedIps = allowedIps;
            if (identityChanged)
            {
                OnIdentityChanged(identity);
            }
            foreach (var peer in identityChanged ? peers.Values : created.Where(p => peers.ContainsKey(p.PublicKey)))
            {
                peer.SetIdentity(identity);
            }
            foreach (var peer in created.Where(p => _running && peers.ContainsKey(p.PublicKey)))
            {
                peer.OnDeviceStarted();
            }
        }
        foreach (var peer in removed)
        {
            peer.Stop();
        }
        foreach (var peer in keepaliveNow)
        {
            peer.SendKeepalive();
        }
    }

    public DeviceState GetState()
    {
        lock (_configLock)
        {
            var prefixes = _allowedIps.Entries().ToLookup(e => e.Peer, e => e.Prefix);
            var peers = _peers.Values.OrderBy(p => p.Sequence).Select(peer => new PeerState(
                peer.PublicKey,
                peer.PresharedKey.IsZero ? null : peer.PresharedKey,
                peer.Endpoint.IsEmpty ? null : peer.Endpoint,
                peer.PersistentKeepaliveInterval,
                peer.LastHandshake,
                peer.RxBytes,
                peer.TxBytes,
                [.. prefixes[peer]],
                1)).ToList();
            return new DeviceState(_identity?.PrivateKey, _listenPort, _firewallMark, peers);
        }
    }

    private void ValidatePeerCount(DeviceUpdate update, Key? ownPublicKey)
    {
        var keys = update.ReplacePeers ? [] : new HashSet<Key>(_peers.Keys);
        if (ownPublicKey is { } own)
        {
            keys.Remove(own);
        }
        foreach (var change in update.Peers)
        {
            if (change.Remove)
            {
                keys.Remove(change.PublicKey);
            }
            else if (!change.UpdateOnly && change.PublicKey != ownPublicKey)
            {
                keys.Add(change.PublicKey);
            }
        }
        if (keys.Count > Constants.MaxPeers)
        {
            throw new ConfigurationException(Errnos.EIO, $"too many peers: {keys.Count} (at most {Constants.MaxPeers})");
        }
    }

    /// <summary>
    /// The fwmark, then the listen port: each either takes effect or throws and leaves the bind as it was (a mark
    /// already changed is put back when the port fails). Errors answer EADDRINUSE, as wireguard-go's do.
    /// </summary>
    private void ApplyBindSettings(DeviceUpdate update)
    {
        var previousMark = _firewallMark;
        if (update.FirewallMark is { } mark && mark != previousMark)
        {
            ChangeBind($"fwmark={mark}", () => _bind.SetMark(mark));
            _firewallMark = mark;
        }
        if (update.ListenPort is not { } port || (_bindOpen && port == _listenPort))
        {
            return;
        }
        try
        {
            ChangeBind($"listen_port={port}", () => OpenBind(port));
        }
        catch when (_firewallMark != previousMark)
        {
            _bind.SetMark(previousMark);
            _firewallMark = previousMark;
            throw;
        }
    }

    private static void ChangeBind(string setting, Action change)
    {
        try
        {
            change();
        }
        catch (ConfigurationException e)
        {
            throw new ConfigurationException(e.Errno, $"{setting}: {e.Message}");
        }
        catch (Exception e) when (e is SocketException or ExternalException)
        {
            throw new ConfigurationException(Errnos.EADDRINUSE, $"{setting}: {e.Message}");
        }
    }

    private void ApplyPeer(PeerUpdate change, Key? ownPublicKey, Dictionary<Key, Peer> peers, AllowedIps<Peer> allowedIps, List<Peer> removed, List<Peer> created, List<Peer> keepaliveNow)
    {
        if (change.PublicKey == ownPublicKey)
        {
            Log("ignoring peer whose public key is the interface's own");
            return;
        }
        peers.TryGetValue(change.PublicKey, out var peer);
        if (change.Remove)
        {
            if (peer is not null)
            {
                peers.Remove(peer.PublicKey);
                allowedIps.RemoveAll(peer);
                removed.Add(peer);
            }
            return;
        }
        if (peer is null)
        {
            if (change.UpdateOnly)
            {
                return;
            }
            peer = new Peer(this, change.PublicKey, Interlocked.Increment(ref _peerSequence));
            peers.Add(peer.PublicKey, peer);
            created.Add(peer);
        }
        if (change.PresharedKey is { } presharedKey)
        {
            peer.SetPresharedKey(presharedKey);
        }
        if (change.Endpoint is { } endpoint)
        {
            peer.Endpoint = endpoint;
        }
        if (change.PersistentKeepaliveInterval is { } interval)
        {
            var wasOff = peer.PersistentKeepaliveInterval == 0;
            peer.PersistentKeepaliveInterval = interval;
            if (wasOff && interval != 0 && _running && !keepaliveNow.Contains(peer))
            {
                keepaliveNow.Add(peer);
            }
        }
        if (change.ReplaceAllowedIps)
        {
            allowedIps.RemoveAll(peer);
        }
        foreach (var allowed in change.AllowedIps)
        {
            if (allowed.Remove)
            {
                allowedIps.Remove(allowed.Prefix, peer);
            }
            else
            {
                allowedIps.Insert(allowed.Prefix, peer);
            }
        }
    }
}
