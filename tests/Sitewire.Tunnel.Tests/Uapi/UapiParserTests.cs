using System.Net;
using Sitewire.Crypto;
using Sitewire.Tunnel.Configuration;
using Sitewire.Tunnel.Io;
using Sitewire.Tunnel.Uapi;

namespace Sitewire.Tunnel.Tests.Uapi;

public class UapiParserTests
{
    private static readonly string PeerHex = new string('a', 63) + "1";
    private static readonly string OtherPeerHex = new string('b', 64);

    [Fact]
    public void Parses_every_key_that_wg_sends()
    {
        var update = UapiParser.Parse(
            $"private_key={new string('1', 64)}\nlisten_port=51820\nfwmark=4660\nreplace_peers=true\n" +
            $"public_key={PeerHex}\nupdate_only=true\npreshared_key={new string('2', 64)}\nendpoint=192.0.2.1:51820\n" +
            "persistent_keepalive_interval=25\nreplace_allowed_ips=true\nallowed_ip=10.0.0.0/8\nallowed_ip=-10.1.0.0/16\n" +
            "allowed_ip=2001:db8::/32\nprotocol_version=1\n" +
            $"public_key={OtherPeerHex}\nremove=true\nendpoint=[2001:db8::1]:443\n\n");

        Assert.Equal(Hex('1'), update.PrivateKey);
        Assert.Equal((ushort)51820, update.ListenPort);
        Assert.Equal(4660u, update.FirewallMark);
        Assert.True(update.ReplacePeers);
        Assert.Equal(2, update.Peers.Count);
        var first = update.Peers[0];
        Assert.Equal(PeerHex, first.PublicKey.ToHex());
        Assert.True(first.UpdateOnly);
        Assert.False(first.Remove);
        Assert.Equal(Hex('2'), first.PresharedKey);
        Assert.Equal(Endpoint.FromIPEndPoint(IPEndPoint.Parse("192.0.2.1:51820")), first.Endpoint);
        Assert.Equal((ushort)25, first.PersistentKeepaliveInterval);
        Assert.True(first.ReplaceAllowedIps);
        Assert.Equal(
            [new AllowedIpChange(IPNetwork.Parse("10.0.0.0/8"), false), new AllowedIpChange(IPNetwork.Parse("10.1.0.0/16"), true),
             new AllowedIpChange(IPNetwork.Parse("2001:db8::/32"), false)],
            first.AllowedIps);
        var second = update.Peers[1];
        Assert.True(second.Remove);
        Assert.Equal("[2001:db8::1]:443", second.Endpoint.ToString());
        Assert.Null(second.PresharedKey);
    }

    [Fact]
    public void Masks_host_bits_of_allowed_ips()
    {
        var update = UapiParser.Parse($"public_key={PeerHex}\nallowed_ip=10.1.2.3/8\nallowed_ip=2001:db8::ff/120\nallowed_ip=192.0.2.7/32\n");

        Assert.Equal(["10.0.0.0/8", "2001:db8::/120", "192.0.2.7/32"], update.Peers[0].AllowedIps.Select(a => a.Prefix.ToString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    public void An_empty_request_changes_nothing(string body)
    {
        var update = UapiParser.Parse(body);

        Assert.Null(update.PrivateKey);
        Assert.Null(update.ListenPort);
        Assert.Empty(update.Peers);
    }

    [Fact]
    public void All_zero_keys_pass_through_as_removal()
    {
        var update = UapiParser.Parse($"private_key={new string('0', 64)}\npublic_key={PeerHex}\npreshared_key={new string('0', 64)}\n");

        Assert.True(update.PrivateKey!.Value.IsZero);
        Assert.True(update.Peers[0].PresharedKey!.Value.IsZero);
    }

    [Theory]
    [InlineData("listen_port", "no '='", "line 1: expected key=value", Errnos.EPROTO)]
    [InlineData("=5", "empty key", "line 1: expected key=value", Errnos.EPROTO)]
    [InlineData("frobnicate=1", "unknown device key", "frobnicate is not a device key", Errnos.EINVAL)]
    [InlineData("private_key=zz", "bad hex", "private_key must be 64 hexadecimal digits", Errnos.EINVAL)]
    [InlineData("private_key=0123", "short key", "private_key must be 64", Errnos.EINVAL)]
    [InlineData("listen_port=65536", "port too large", "listen_port must be a decimal number from 0 to 65535", Errnos.EINVAL)]
    [InlineData("listen_port=-1", "negative port", "listen_port must be", Errnos.EINVAL)]
    [InlineData("listen_port=", "empty port", "listen_port must be", Errnos.EINVAL)]
    [InlineData("listen_port=99999999999999999999999", "huge port", "listen_port must be", Errnos.EINVAL)]
    [InlineData("fwmark=0x10", "hex mark", "fwmark must be", Errnos.EINVAL)]
    [InlineData("fwmark=4294967296", "mark too large", "fwmark must be", Errnos.EINVAL)]
    [InlineData("replace_peers=false", "replace_peers false", "replace_peers can only be \"true\"", Errnos.EINVAL)]
    [InlineData("allowed_ip=10.0.0.0/8", "peer key before public_key", "allowed_ip is a peer key and must follow a public_key line", Errnos.EINVAL)]
    [InlineData("endpoint=192.0.2.1:1", "endpoint before public_key", "endpoint is a peer key", Errnos.EINVAL)]
    public void Bad_device_lines_are_refused(string line, string because, string message, int errno)
    {
        var error = Assert.Throws<ConfigurationException>(() => UapiParser.Parse($"{line}\nfwmark=1\n"));

        Assert.True(errno == error.Errno, because);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("preshared_key=xyz", "preshared_key must be 64 hexadecimal digits")]
    [InlineData("endpoint=192.0.2.1", "endpoint must be")]
    [InlineData("endpoint=host.example:51820", "endpoint must be")]
    [InlineData("endpoint=2001:db8::1:51820", "endpoint must be")]
    [InlineData("endpoint=[192.0.2.1]:51820", "endpoint must be")]
    [InlineData("endpoint=[fe80::1%eth0]:51820", "endpoint must be")]
    [InlineData("endpoint=[fe80::1%nosuchif0]:51820", "endpoint must be")]
    [InlineData("endpoint=[fe80::1%0]:51820", "endpoint must be")]
    [InlineData("endpoint=192.0.2.1:65536", "endpoint must be")]
    [InlineData("endpoint=192.0.2:80", "endpoint must be")]
    [InlineData("persistent_keepalive_interval=65536", "persistent_keepalive_interval must be a decimal number from 0 to 65535")]
    [InlineData("allowed_ip=10.0.0.0/33", "allowed_ip has a prefix length outside 0..32")]
    [InlineData("allowed_ip=2001:db8::/129", "allowed_ip has a prefix length outside 0..128")]
    [InlineData("allowed_ip=10.0.0.0", "allowed_ip must be an address/prefix-length")]
    [InlineData("allowed_ip=10.0.0/8", "allowed_ip must be an address/prefix-length")]
    [InlineData("allowed_ip=10.0.0.0/-1", "allowed_ip has a prefix length outside")]
    [InlineData("allowed_ip=--10.0.0.0/8", "allowed_ip must be an address/prefix-length")]
    [InlineData("allowed_ip=fe80::1%eth0/64", "allowed_ip must be an address/prefix-length without a zone")]
    [InlineData("allowed_ip=fe80::1%nosuchif0/64", "allowed_ip must be an address/prefix-length without a zone")]
    [InlineData("allowed_ip=fe80::1%0/64", "allowed_ip must be an address/prefix-length without a zone")]
    [InlineData("allowed_ip=-fe80::%nosuchif0/10", "allowed_ip must be an address/prefix-length without a zone")]
    [InlineData("protocol_version=2", "protocol_version must be 1")]
    [InlineData("remove=yes", "remove can only be \"true\"")]
    [InlineData("update_only=1", "update_only can only be \"true\"")]
    [InlineData("replace_allowed_ips=false", "replace_allowed_ips can only be \"true\"")]
    [InlineData("listen_port=1", "listen_port is a device key and must come before the first public_key")]
    [InlineData("private_key=" + "1111111111111111111111111111111111111111111111111111111111111111", "private_key is a device key")]
    [InlineData("last_handshake_time_sec=0", "last_handshake_time_sec is not a peer key")]
    public void Bad_peer_lines_are_refused_naming_line_and_peer(string line, string message)
    {
        var error = Assert.Throws<ConfigurationException>(() => UapiParser.Parse($"listen_port=1\npublic_key={PeerHex}\nallowed_ip=10.9.0.0/16\n{line}\n"));

        Assert.Equal(Errnos.EINVAL, error.Errno);
        Assert.Contains($"line 4 (peer {PeerKey.ToBase64()}): {message}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public_key=abc")]
    [InlineData("public_key=" + "gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg")]
    [InlineData("public_key=" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void A_bad_public_key_is_refused(string line)
    {
        var error = Assert.Throws<ConfigurationException>(() => UapiParser.Parse(line + "\n"));

        Assert.Equal(Errnos.EINVAL, error.Errno);
        Assert.Contains("public_key must be 64 hexadecimal digits", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_line_inside_the_request_is_a_protocol_error()
    {
        var error = Assert.Throws<ConfigurationException>(() => UapiParser.Parse("listen_port=1\n\nfwmark=1\n"));

        Assert.Equal(Errnos.EPROTO, error.Errno);
        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_messages_never_contain_key_material()
    {
        var secret = new string('c', 63) + "z";

        var error = Assert.Throws<ConfigurationException>(() => UapiParser.Parse($"private_key={secret}\n"));

        Assert.DoesNotContain(secret[..20], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_request_parses_every_allowed_ip()
    {
        var lines = string.Concat(Enumerable.Range(0, 10_000).Select(i => $"allowed_ip=10.{i / 256}.{i % 256}.0/24\n"));

        var update = UapiParser.Parse($"public_key={PeerHex}\n{lines}");

        Assert.Equal(10_000, update.Peers[0].AllowedIps.Count);
        Assert.Equal("10.39.15.0/24", update.Peers[0].AllowedIps[^1].Prefix.ToString());
    }

    private static Key PeerKey => Key.TryParseHex(PeerHex, out var key) ? key : default;

    private static Key Hex(char digit) => Key.TryParseHex(new string(digit, 64), out var key) ? key : default;
}
