using System.Net;
using Sitewire.Crypto;
using Sitewire.Tunnel.Configuration;
using Sitewire.Tunnel.Uapi;

namespace Sitewire.Tunnel.Tests.Uapi;

/// <summary>A device double for the UAPI server: applies updates to plain state, or refuses with <see cref="Refusal"/>.</summary>
internal sealed class FakeConfigurable : IConfigurable
{
    private readonly Dictionary<Key, PeerState> _peers = [];
    private DeviceState _device = new(null, 0, 0, []);

    public List<DeviceUpdate> Applied { get; } = [];

    public ConfigurationException? Refusal { get; set; }

    public TimeSpan ApplyDelay { get; set; }

    public void Apply(DeviceUpdate update)
    {
        Thread.Sleep(ApplyDelay);
        if (Refusal is not null)
        {
            throw Refusal;
        }
        Applied.Add(update);
        if (update.ReplacePeers)
        {
            _peers.Clear();
        }
        _device = _device with
        {
            PrivateKey = update.PrivateKey is { } key ? (key.IsZero ? null : key) : _device.PrivateKey,
            ListenPort = update.ListenPort ?? _device.ListenPort,
            FirewallMark = update.FirewallMark ?? _device.FirewallMark,
        };
        foreach (var change in update.Peers)
        {
            if (change.Remove)
            {
                _peers.Remove(change.PublicKey);
                continue;
            }
            if (!_peers.TryGetValue(change.PublicKey, out var peer))
            {
                if (change.UpdateOnly)
                {
                    continue;
                }
                peer = new PeerState(change.PublicKey, null, null, 0, null, 0, 0, [], 1);
            }
            var allowed = change.ReplaceAllowedIps ? new List<IPNetwork>() : [.. peer.AllowedIps];
            foreach (var ip in change.AllowedIps)
            {
                allowed.Remove(ip.Prefix);
                if (!ip.Remove)
                {
                    allowed.Add(ip.Prefix);
                }
            }
            _peers[change.PublicKey] = peer with
            {
                PresharedKey = change.PresharedKey is { } psk ? (psk.IsZero ? null : psk) : peer.PresharedKey,
                Endpoint = change.Endpoint ?? peer.Endpoint,
                PersistentKeepaliveInterval = change.PersistentKeepaliveInterval ?? peer.PersistentKeepaliveInterval,
                AllowedIps = allowed,
            };
        }
    }

    public DeviceState GetState() => _device with { Peers = [.. _peers.Values] };
}
