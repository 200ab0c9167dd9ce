using Sitewire.Crypto;

namespace Sitewire.Tunnel.Configuration;

/// <summary>
/// One UAPI <c>set=1</c> request, fully parsed and validated before anything is applied, so that a
/// bad request changes nothing. A null property means "leave as it is".
/// </summary>
public sealed class DeviceUpdate
{
    /// <summary>An all-zero key removes the private key, as in wg.</summary>
    public Key? PrivateKey { get; set; }

    public ushort? ListenPort { get; set; }

    /// <summary>0 removes the mark.</summary>
    public uint? FirewallMark { get; set; }

    public bool ReplacePeers { get; set; }

    public List<PeerUpdate> Peers { get; } = [];
}
