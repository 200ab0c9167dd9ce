using Sitewire.Host.Linux;

namespace Sitewire.Host.Tests.Linux;

public class WireGuardDumpTests
{
    [Fact]
    public void Parses_the_relays_recorded_dump()
    {
        var interfaces = WireGuardDump.Parse(Recorded.Read("relay.wg-dump.txt"));

        var relay = Assert.Single(interfaces);
        Assert.Equal("wireguard0", relay.Name);
        Assert.Equal(51820, relay.ListenPort);
        Assert.Equal("OIZgMpSg2opdmqx8Pze4E2gkjeGk4crHdctyAUI6ATg=", relay.PublicKey);
        Assert.Equal(2, relay.Peers.Count);
        var office = relay.Peers[0];
        Assert.Equal("198.51.100.11:52435", office.Endpoint);
        Assert.Equal(["192.168.200.1/32", "172.18.3.0/24", "172.17.50.0/24"], office.AllowedIps);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795646411), office.LatestHandshake);
        Assert.Equal(3028, office.ReceiveBytes);
        Assert.Equal(3644, office.TransmitBytes);
        Assert.Null(office.PersistentKeepalive);
        Assert.False(office.HasPresharedKey);
    }

    [Fact]
    public void Unset_fields_become_null()
    {
        var dump = "wg0\tPRIV\tPUB\t0\toff\nwg0\tPEER\tPSK\t(none)\t(none)\t0\t0\t0\t25\n";

        var peer = Assert.Single(Assert.Single(WireGuardDump.Parse(dump)).Peers);

        Assert.Null(peer.Endpoint);
        Assert.Empty(peer.AllowedIps);
        Assert.Null(peer.LatestHandshake);
        Assert.Equal(25, peer.PersistentKeepalive);
        Assert.True(peer.HasPresharedKey);
    }

    [Theory]
    [InlineData("wg0\tonly\tthree\n", "line 1: 3 fields")]
    [InlineData("wg0\tPEER\tPSK\t(none)\t(none)\t0\t0\t0\toff\n", "line 1: peer of interface 'wg0' before its interface line")]
    [InlineData("wg0\tP\tP\t1\toff\nwg0\tPEER\t(none)\t(none)\t(none)\tsoon\t0\t0\toff\n", "line 2")]
    public void Bad_lines_are_named(string dump, string expected)
    {
        var error = Assert.Throws<FormatException>(() => WireGuardDump.Parse(dump));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
