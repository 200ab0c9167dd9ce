using System.Net;
using Sitewire.Config.WgQuick;
using Sitewire.Crypto;

namespace Sitewire.Config.Tests.WgQuick;

public sealed class WgQuickParserTests
{
    private static readonly string PrivateKey = Key.ParseBase64("KDC5YQ0aNARn4uqU4BjUf2nVt9Xhe3OtOLDQFKydVV0=").ToBase64();
    private static readonly string PeerKey = Key.ParseBase64("GS5AxNqyU0lFTKN2eC8J0Z0EemHQAuy0lHfRNwAdQVc=").ToBase64();

    [Fact]
    public void Parses_the_seed_home_config_shape_with_mixed_case_keys_comments_and_repeated_lists()
    {
        var text = $"""
            # home node
            [interface]
            privatekey = {PrivateKey}   # secret
            Address = 192.168.200.2/24
            ADDRESS = fd00::2/64
            MTU = 1420
            PostUp = sysctl -q -w net.ipv4.ip_forward=1

            [Peer]
            # relay
            PublicKey = {PeerKey}
            AllowedIPs = 192.168.200.0/24, 172.18.3.0/24
            AllowedIPs = 172.17.50.0/24
            Endpoint = 203.0.113.10:51820
            PersistentKeepalive = 20
            """;

        var result = WgQuickParser.Parse(text, "home.conf");

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var face = result.Config.Interface;
        Assert.Equal(PrivateKey, face.PrivateKey!.Value.ToBase64());
        Assert.Equal(["192.168.200.2/24", "fd00::2/64"], face.Addresses.Select(address => address.ToString()));
        Assert.Equal(1420, face.Mtu);
        Assert.Equal(["sysctl -q -w net.ipv4.ip_forward=1"], face.PostUp);
        var peer = Assert.Single(result.Config.Peers);
        Assert.Equal("relay", peer.Name);
        Assert.Equal(PeerKey, peer.PublicKey.ToBase64());
        Assert.Equal([IPNetwork.Parse("192.168.200.0/24"), IPNetwork.Parse("172.18.3.0/24"), IPNetwork.Parse("172.17.50.0/24")], peer.AllowedIps);
        Assert.Equal("203.0.113.10:51820", peer.Endpoint);
        Assert.Equal(20, peer.PersistentKeepalive);
    }

    [Fact]
    public void Write_then_parse_gives_the_same_config_and_write_again_the_same_text()
    {
        var config = new WgQuickConfig(
            WgQuickInterface.Empty with
            {
                Addresses = [new InterfaceAddress(IPAddress.Parse("192.168.200.254"), 24)],
                PrivateKey = Key.ParseBase64(PrivateKey),
                ListenPort = 51820,
                Mtu = 1420,
                PostUp = ["iptables -A FORWARD -i %i -j ACCEPT"],
                PostDown = ["iptables -D FORWARD -i %i -j ACCEPT"],
            },
            [
                new WgQuickPeer(Key.ParseBase64(PeerKey), Key.ParseBase64(PrivateKey), [IPNetwork.Parse("192.168.200.1/32"), IPNetwork.Parse("172.18.3.0/24")], null, null, "office"),
                new WgQuickPeer(Key.ParseBase64(PrivateKey).PublicKey(), null, [IPNetwork.Parse("192.168.200.2/32")], "[2001:db8::1]:51820", 25, null),
            ]);

        var text = WgQuickWriter.Write(config, ["generated"]);
        var parsed = WgQuickParser.Parse(text, "relay.conf");

        Assert.True(parsed.Succeeded, string.Join("\n", parsed.Diagnostics));
        Assert.Equal(text, WgQuickWriter.Write(parsed.Config, ["generated"]));
        Assert.Equal(config.Interface.Addresses, parsed.Config.Interface.Addresses);
        Assert.Equal(config.Interface.PostUp, parsed.Config.Interface.PostUp);
        Assert.Equal(config.Peers[0].AllowedIps, parsed.Config.Peers[0].AllowedIps);
        Assert.Equal(config.Peers[1].Endpoint, parsed.Config.Peers[1].Endpoint);
        Assert.StartsWith("# generated\n[Interface]\nAddress = 192.168.200.254/24\nListenPort = 51820\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[Interface]\nPrivateKey = abc\n", 2, 14, "PrivateKey", "not a valid key")]
    [InlineData("[Interface]\nPrivateKey = AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n", 2, 14, "PrivateKey", "not a valid key")]
    [InlineData("[Interface]\nListenPort = 70000\n", 2, 14, "ListenPort", "not a valid number")]
    [InlineData("[Interface]\n  Colour = red\n", 2, 3, "Colour", "unknown [Interface] key")]
    [InlineData("[Interface]\n[Peer]\nAllowedIPs = 10.0.0.0/8\n", 2, 1, "[Peer]", "peer without PublicKey")]
    [InlineData("[Interface]\n[Peer]\nPublicKey = GS5AxNqyU0lFTKN2eC8J0Z0EemHQAuy0lHfRNwAdQVc=\nAllowedIPs = 10.0.0.0/8, nonsense\n", 4, 14, "AllowedIPs", "'nonsense' is not a prefix")]
    [InlineData("[Interface]\n[Peer]\nPublicKey = GS5AxNqyU0lFTKN2eC8J0Z0EemHQAuy0lHfRNwAdQVc=\nEndpoint = nohostport\n", 4, 12, "Endpoint", "is not an endpoint")]
    [InlineData("Address = 10.0.0.1/24\n", 1, 1, "Address", "key outside of a section")]
    [InlineData("[Wat]\n", 1, 1, "[Wat]", "unknown section")]
    [InlineData("[Interface]\njust words\n", 2, 1, "just words", "neither a section header")]
    [InlineData("# nothing\n", 1, 1, "[Interface]", "no [Interface] section")]
    public void Errors_name_line_column_and_key(string text, int line, int column, string field, string message)
    {
        var result = WgQuickParser.Parse(text, "x.conf");

        Assert.False(result.Succeeded);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(("x.conf", line, column, field), (diagnostic.Location.File, diagnostic.Location.Line, diagnostic.Location.Column, diagnostic.Field));
        Assert.Contains(message, diagnostic.Message, StringComparison.Ordinal);
    }

    [Trait("Needs", "root")]
    [Fact]
    public void The_real_wg_tool_accepts_what_the_writer_emits()
    {
        var config = new WgQuickConfig(
            WgQuickInterface.Empty with { PrivateKey = Key.ParseBase64(PrivateKey), ListenPort = 51820 },
            [new WgQuickPeer(Key.ParseBase64(PeerKey), null, [IPNetwork.Parse("10.0.0.0/24")], "203.0.113.10:51820", 25, "relay")]);
        var directory = Directory.CreateTempSubdirectory("sitewire-wg-");
        var path = Path.Combine(directory.FullName, "wg0.conf");
        File.WriteAllText(path, WgQuickWriter.Write(config));
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("wg-quick", ["strip", path]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var stripped = process.StandardOutput.ReadToEnd();
            var errors = process.StandardError.ReadToEnd();
            Assert.True(process.WaitForExit(10_000));
            Assert.True(process.ExitCode == 0, errors);
            Assert.Contains($"PublicKey = {PeerKey}", stripped, StringComparison.Ordinal);
            Assert.Contains("AllowedIPs = 10.0.0.0/24", stripped, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
