using System.Net;
using Sitewire.Crypto;

namespace Sitewire.Config.WgQuick;

/// <summary>
/// A <c>[Peer]</c> section. <see cref="Name"/> is a comment line (<c># name</c>) directly after the
/// section header: the emitter writes it, the parser reads it back, WireGuard ignores it.
/// </summary>
public sealed record WgQuickPeer(
    Key PublicKey,
    Key? PresharedKey,
    IReadOnlyList<IPNetwork> AllowedIps,
    string? Endpoint,
    int? PersistentKeepalive,
    string? Name);
