using System.Net;
using Sitewire.Crypto;
using Sitewire.Tunnel.Configuration;
using Sitewire.Tunnel.Io;
using Sitewire.Tunnel.Uapi;

namespace Sitewire.Tunnel.Tests.Uapi;

public class UapiSerializerTests
{
    [Fact]
    public void Writes_wireguard_go_order_and_format()
    {
        var peer = new PeerState(
            Key(0xab),
            Key(0x02),
            Endpoint.FromIPEndPoint(IPEndPoint.Parse("[2001:db8::1]:51820")),
            25,
            DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).AddTicks(1234567),
            RxBytes: 2048,
            TxBytes: 1024,
            [IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("2001:db8::/32")],
            ProtocolVersion: 1);
        var state = new DeviceState(Key(0x01), 51820, 0x1234, [peer]);

        var text = UapiSerializer.Serialize(state);

        Assert.Equal(
            $"private_key={Hex(0x01)}\nlisten_port=51820\nfwmark=4660\n" +
            $"public_key={Hex(0xab)}\npreshared_key={Hex(0x02)}\nprotocol_version=1\nendpoint=[2001:db8::1]:51820\n" +
            "last_handshake_time_sec=1700000000\nlast_handshake_time_nsec=123456700\ntx_bytes=1024\nrx_bytes=2048\n" +
            "persistent_keepalive_interval=25\nallowed_ip=10.0.0.0/8\nallowed_ip=2001:db8::/32\n",
            text);
    }

    [Fact]
    public void Omits_what_is_unset_and_writes_zero_keys_and_times_like_wireguard_go()
    {
        var peer = new PeerState(Key(0xab), null, null, 0, null, 0, 0, [], 1);

        var text = UapiSerializer.Serialize(new DeviceState(null, 0, 0, [peer]));

        Assert.Equal(
            $"public_key={Hex(0xab)}\npreshared_key={new string('0', 64)}\nprotocol_version=1\n" +
            "last_handshake_time_sec=0\nlast_handshake_time_nsec=0\ntx_bytes=0\nrx_bytes=0\npersistent_keepalive_interval=0\n",
            text);
    }

    [Fact]
    public void A_set_request_reads_back_through_get()
    {
        var device = new FakeConfigurable();
        var request =
            $"private_key={Hex(0x11)}\nlisten_port=4000\nfwmark=7\n" +
            $"public_key={Hex(0x22)}\npreshared_key={Hex(0x33)}\nendpoint=192.0.2.9:51820\npersistent_keepalive_interval=15\n" +
            "allowed_ip=10.1.0.0/16\nallowed_ip=fd00::/64\n";

        device.Apply(UapiParser.Parse(request));
        var text = UapiSerializer.Serialize(device.GetState());

        Assert.Equal(
            $"private_key={Hex(0x11)}\nlisten_port=4000\nfwmark=7\n" +
            $"public_key={Hex(0x22)}\npreshared_key={Hex(0x33)}\nprotocol_version=1\nendpoint=192.0.2.9:51820\n" +
            "last_handshake_time_sec=0\nlast_handshake_time_nsec=0\ntx_bytes=0\nrx_bytes=0\npersistent_keepalive_interval=15\n" +
            "allowed_ip=10.1.0.0/16\nallowed_ip=fd00::/64\n",
            text);
    }

    private static Key Key(byte fill) => new(Enumerable.Repeat(fill, 32).ToArray());

    private static string Hex(byte fill) => Convert.ToHexStringLower(Enumerable.Repeat(fill, 32).ToArray());
}
