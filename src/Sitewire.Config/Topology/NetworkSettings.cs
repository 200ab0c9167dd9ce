using System.Net;

namespace Sitewire.Config.Topology;

/// <summary>
/// The <c>network:</c> section: the overlay (the tunnel addresses), the WireGuard settings every
/// node shares, and the shape. <see cref="HubRelays"/> names the hub's relays in order of preference (more than one:
/// the sites fail over between them, docs/failover.md); for a mesh it names the one relay that carries pairs without a
/// public endpoint on either side (empty: the first node with role relay). <see cref="Policy"/>: whether the flows are the enforced allow list.
/// </summary>
public sealed record NetworkSettings(
    IPNetwork Overlay,
    IPNetwork? OverlayV6,
    int ListenPort,
    int Mtu,
    int PersistentKeepalive,
    string InterfaceName,
    NetworkShape Shape,
    IReadOnlyList<string> HubRelays,
    FlowPolicy Policy = FlowPolicy.Open)
{
    /// <summary>The preferred relay's name, or null when the file names none.</summary>
    public string? HubRelay => HubRelays.Count > 0 ? HubRelays[0] : null;

    public const int DefaultListenPort = 51820;
    public const int DefaultMtu = 1420;
    public const int DefaultPersistentKeepalive = 25;
    public const string DefaultInterfaceName = "wireguard0";
}
