using System.Net;
using Sitewire.Crypto;
using Sitewire.Tunnel.Io;

namespace Sitewire.Tunnel.Configuration;

/// <summary>What UAPI <c>get=1</c> reports.</summary>
public sealed record DeviceState(
    Key? PrivateKey,
    ushort ListenPort,
    uint FirewallMark,
    IReadOnlyList<PeerState> Peers);

public sealed record PeerState(
    Key PublicKey,
    Key? PresharedKey,
    Endpoint? Endpoint,
    ushort PersistentKeepaliveInterval,
    DateTimeOffset? LastHandshake,
    long RxBytes,
    long TxBytes,
    IReadOnlyList<IPNetwork> AllowedIps,
    int ProtocolVersion);
