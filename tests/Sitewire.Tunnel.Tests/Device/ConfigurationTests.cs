using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Sitewire.Crypto;
using Sitewire.Tunnel.Configuration;
using Sitewire.Tunnel.Io;
using Sitewire.Tunnel.Tests.Doubles;

namespace Sitewire.Tunnel.Tests.Device;

public sealed class ConfigurationTests : IDisposable
{
    private readonly MemoryNetwork _network = new();
    private readonly MemoryBind _bind;
    private readonly Tunnel.Device _device;
    private readonly Key _privateKey = Key.GeneratePrivate();
    private readonly Key _peer1 = Key.GeneratePrivate().PublicKey();
    private readonly Key _peer2 = Key.GeneratePrivate().PublicKey();

    public ConfigurationTests()
    {
        _bind = _network.CreateBind("192.0.2.10");
        _device = new Tunnel.Device(new MemoryTun(), _bind, new DeviceOptions { TimeProvider = new FakeTimeProvider(), Workers = 1 });
    }

    public void Dispose() => _device.Dispose();

    private static PeerUpdate Peer(Key key, params string[] allowedIps)
    {
        var update = new PeerUpdate(key);
        update.AllowedIps.AddRange(allowedIps.Select(p => new AllowedIpChange(IPNetwork.Parse(p.TrimStart('-')), p.StartsWith('-'))));
        return update;
    }

    private static DeviceUpdate Update(params PeerUpdate[] peers)
    {
        var update = new DeviceUpdate();
        update.Peers.AddRange(peers);
        return update;
    }

    private PeerState StateOf(Key key) => _device.GetState().Peers.Single(p => p.PublicKey == key);

    private static string[] Prefixes(PeerState peer) => [.. peer.AllowedIps.Select(p => p.ToString()).Order()];

    [Fact]
    public void Get_reports_what_set_configured()
    {
        var psk = Key.GeneratePreshared();
        var update = new DeviceUpdate { PrivateKey = _privateKey, ListenPort = 51820, FirewallMark = 42 };
        var peer = Peer(_peer1, "10.0.0.0/24", "fd00::/64");
        peer.PresharedKey = psk;
        peer.Endpoint = Endpoint.FromIPEndPoint(IPEndPoint.Parse("[2001:db8::1]:4500"));
        peer.PersistentKeepaliveInterval = 25;
        update.Peers.Add(peer);
        _device.Apply(update);

        var state = _device.GetState();
        Assert.Equal(_privateKey, state.PrivateKey);
        Assert.Equal(51820, state.ListenPort);
        Assert.Equal(42u, state.FirewallMark);
        Assert.Equal(42u, _bind.Mark);
        var reported = Assert.Single(state.Peers);
        Assert.Equal(_peer1, reported.PublicKey);
        Assert.Equal(psk, reported.PresharedKey);
        Assert.Equal("[2001:db8::1]:4500", reported.Endpoint.ToString());
        Assert.Equal(25, reported.PersistentKeepaliveInterval);
        Assert.Null(reported.LastHandshake);
        Assert.Equal(["10.0.0.0/24", "fd00::/64"], Prefixes(reported));
    }

    [Fact]
    public void A_port_in_use_fails_with_eaddrinuse_and_changes_nothing()
    {
        _device.Apply(new DeviceUpdate { PrivateKey = _privateKey, ListenPort = 51820 });
        _device.Apply(Update(Peer(_peer1, "10.0.0.0/24")));
        using var squatter = _network.CreateBind("192.0.2.10");
        squatter.Open(51999);
        var before = _device.GetState();

        var update = Update(Peer(_peer2, "10.1.0.0/24"));
        update.ListenPort = 51999;
        update.PrivateKey = Key.GeneratePrivate();
        update.ReplacePeers = true;
        var error = Assert.Throws<ConfigurationException>(() => _device.Apply(update));

        Assert.Equal(Errnos.EADDRINUSE, error.Errno);
        Assert.Contains("51999", error.Message, StringComparison.Ordinal);
        var after = _device.GetState();
        Assert.Equal(before.PrivateKey, after.PrivateKey);
        Assert.Equal(51820, after.ListenPort);
        Assert.Equal(_peer1, Assert.Single(after.Peers).PublicKey);
        Assert.Equal("192.0.2.10:51820", _bind.LocalEndpoint.ToString());
    }

    [Fact]
    public void A_refused_fwmark_fails_with_eaddrinuse_and_changes_nothing()
    {
        _device.Apply(new DeviceUpdate { PrivateKey = _privateKey, ListenPort = 51820, FirewallMark = 7 });
        _bind.MarkRefusal = new SocketException((int)SocketError.AccessDenied);

        var update = Update(Peer(_peer1, "10.0.0.0/24"));
        update.FirewallMark = 8;
        update.ListenPort = 51821;
        var error = Assert.Throws<ConfigurationException>(() => _device.Apply(update));

        Assert.Equal(Errnos.EADDRINUSE, error.Errno);
        Assert.StartsWith("fwmark=8: ", error.Message, StringComparison.Ordinal);
        var state = _device.GetState();
        Assert.Equal((7u, (ushort)51820), (state.FirewallMark, state.ListenPort));
        Assert.Empty(state.Peers);
        Assert.Equal(7u, _bind.Mark);
        Assert.Equal("192.0.2.10:51820", _bind.LocalEndpoint.ToString());
    }

    [Fact]
    public void A_port_in_use_puts_back_the_fwmark_changed_in_the_same_request()
    {
        _device.Apply(new DeviceUpdate { PrivateKey = _privateKey, ListenPort = 51820, FirewallMark = 7 });
        using var squatter = _network.CreateBind("192.0.2.10");
        squatter.Open(51999);

        var error = Assert.Throws<ConfigurationException>(() => _device.Apply(new DeviceUpdate { FirewallMark = 8, ListenPort = 51999 }));

        Assert.Equal(Errnos.EADDRINUSE, error.Errno);
        Assert.Equal(7u, _device.GetState().FirewallMark);
        Assert.Equal(7u, _bind.Mark);
        Assert.Equal("192.0.2.10:51820", _bind.LocalEndpoint.ToString());
    }

    [Fact]
    public void Replace_peers_removes_every_peer_not_listed_again()
    {
        _device.Apply(Update(Peer(_peer1, "10.0.0.0/24"), Peer(_peer2, "10.1.0.0/24")));
        var update = Update(Peer(_peer2, "10.2.0.0/24"));
        update.ReplacePeers = true;
        _device.Apply(update);
        var peer = Assert.Single(_device.GetState().Peers);
        Assert.Equal(_peer2, peer.PublicKey);
        Assert.Equal(["10.2.0.0/24"], Prefixes(peer));
    }

    [Fact]
    public void Remove_deletes_the_peer_and_its_allowed_ips()
    {
        _device.Apply(Update(Peer(_peer1, "10.0.0.0/24"), Peer(_peer2, "10.1.0.0/24")));
        _device.Apply(Update(new PeerUpdate(_peer1) { Remove = true }));
        var peer = Assert.Single(_device.GetState().Peers);
        Assert.Equal(_peer2, peer.PublicKey);
        Assert.Equal(["10.1.0.0/24"], Prefixes(peer));
    }

    [Fact]
    public void Update_only_changes_an_existing_peer_but_never_creates_one()
    {
        _device.Apply(Update(Peer(_peer1, "10.0.0.0/24")));
        var existing = Peer(_peer1, "10.9.0.0/16");
        existing.UpdateOnly = true;
        var missing = Peer(_peer2, "10.1.0.0/24");
        missing.UpdateOnly = true;
        _device.Apply(Update(existing, missing));
        var peer = Assert.Single(_device.GetState().Peers);
        Assert.Equal(["10.0.0.0/24", "10.9.0.0/16"], Prefixes(peer));
    }

    [Fact]
    public void Replace_allowed_ips_starts_from_an_empty_list_and_removal_needs_the_owner()
    {
        _device.Apply(Update(Peer(_peer1, "10.0.0.0/24", "10.0.1.0/24"), Peer(_peer2, "10.1.0.0/24")));
        var replace = Peer(_peer1, "192.168.0.0/16", "fd00::/8", "-fd00::/8", "-10.1.0.0/24");
        replace.ReplaceAllowedIps = true;
        _device.Apply(Update(replace));
        Assert.Equal(["192.168.0.0/16"], Prefixes(StateOf(_peer1)));
        Assert.Equal(["10.1.0.0/24"], Prefixes(StateOf(_peer2)));
    }

    [Fact]
    public void A_prefix_claimed_by_a_second_peer_moves_to_it()
    {
        _device.Apply(Update(Peer(_peer1, "10.0.0.0/24"), Peer(_peer2, "10.0.0.0/24")));
        Assert.Empty(StateOf(_peer1).AllowedIps);
        Assert.Equal(["10.0.0.0/24"], Prefixes(StateOf(_peer2)));
    }

    [Fact]
    public void A_peer_with_our_own_public_key_is_ignored_and_removed_when_the_key_changes()
    {
        _device.Apply(new DeviceUpdate { PrivateKey = _privateKey });
        _device.Apply(Update(Peer(_privateKey.PublicKey(), "10.0.0.0/24")));
        Assert.Empty(_device.GetState().Peers);

        var other = Key.GeneratePrivate();
        _device.Apply(Update(Peer(other.PublicKey(), "10.0.0.0/24"), Peer(_peer1)));
        Assert.Equal(2, _device.GetState().Peers.Count);
        _device.Apply(new DeviceUpdate { PrivateKey = other });
        Assert.Equal(_peer1, Assert.Single(_device.GetState().Peers).PublicKey);
    }

    [Fact]
    public void Zero_keys_remove_the_private_and_preshared_keys()
    {
        var peer = Peer(_peer1);
        peer.PresharedKey = Key.GeneratePreshared();
        var update = Update(peer);
        update.PrivateKey = _privateKey;
        _device.Apply(update);
        var clear = Peer(_peer1);
        clear.PresharedKey = default(Key);
        var clearing = Update(clear);
        clearing.PrivateKey = default(Key);
        _device.Apply(clearing);
        var state = _device.GetState();
        Assert.Null(state.PrivateKey);
        Assert.Null(Assert.Single(state.Peers).PresharedKey);
    }

    [Fact]
    public void Peers_are_listed_in_the_order_they_were_added()
    {
        var keys = Enumerable.Range(0, 20).Select(_ => Key.GeneratePrivate().PublicKey()).ToList();
        _device.Apply(Update([.. keys.Select(k => Peer(k))]));
        Assert.Equal(keys, _device.GetState().Peers.Select(p => p.PublicKey));
    }

    [Fact]
    public void Ten_thousand_allowed_ips_are_kept_and_read_back()
    {
        var peer = new PeerUpdate(_peer1);
        for (var i = 0; i < 10_000; i++)
        {
            peer.AllowedIps.Add(new AllowedIpChange(new IPNetwork(new IPAddress([10, (byte)(i >> 8), (byte)i, 0]), 24), false));
        }
        _device.Apply(Update(peer));
        Assert.Equal(10_000, StateOf(_peer1).AllowedIps.Count);
    }
}
