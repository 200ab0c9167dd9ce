using System.Globalization;
using System.Text;
using Sitewire.Crypto;
using Sitewire.Tunnel.Configuration;

namespace Sitewire.Tunnel.Uapi;

/// <summary>
/// Writes <see cref="DeviceState"/> as the body of a UAPI <c>get=1</c> answer, in wireguard-go's order:
/// device keys, then per peer public_key, preshared_key, protocol_version, endpoint, handshake time,
/// counters, keepalive and allowed_ip lines. The caller appends <c>errno=0</c>.
/// </summary>
public static class UapiSerializer
{
    public static string Serialize(DeviceState state)
    {
        var text = new StringBuilder(256 + (state.Peers.Count * 512));
        if (state.PrivateKey is { IsZero: false } privateKey)
        {
            AppendKey(text, "private_key", privateKey);
        }
        if (state.ListenPort != 0)
        {
            Append(text, "listen_port", state.ListenPort);
        }
        if (state.FirewallMark != 0)
        {
            Append(text, "fwmark", state.FirewallMark);
        }
        foreach (var peer in state.Peers)
        {
            AppendPeer(text, peer);
        }
        return text.ToString();
    }

    private static void AppendPeer(StringBuilder text, PeerState peer)
    {
        AppendKey(text, "public_key", peer.PublicKey);
        AppendKey(text, "preshared_key", peer.PresharedKey ?? default);
        Append(text, "protocol_version", peer.ProtocolVersion);
        if (peer.Endpoint is { IsEmpty: false } endpoint)
        {
            text.Append("endpoint=").Append(endpoint.ToString()).Append('\n');
        }
        var sinceEpoch = peer.LastHandshake is { } handshake ? handshake - DateTimeOffset.UnixEpoch : TimeSpan.Zero;
        Append(text, "last_handshake_time_sec", sinceEpoch.Ticks / TimeSpan.TicksPerSecond);
        Append(text, "last_handshake_time_nsec", sinceEpoch.Ticks % TimeSpan.TicksPerSecond * TimeSpan.NanosecondsPerTick);
        Append(text, "tx_bytes", peer.TxBytes);
        Append(text, "rx_bytes", peer.RxBytes);
        Append(text, "persistent_keepalive_interval", peer.PersistentKeepaliveInterval);
        foreach (var prefix in peer.AllowedIps)
        {
            text.Append("allowed_ip=").Append(prefix.ToString()).Append('\n');
        }
    }

    private static void AppendKey(StringBuilder text, string name, Key key) =>
        text.Append(name).Append('=').Append(key.ToHex()).Append('\n');

    private static void Append(StringBuilder text, string name, long value) =>
        text.Append(name).Append('=').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
