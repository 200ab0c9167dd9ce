using System.Net;

namespace Sitewire.Config.Topology;

/// <summary>
/// The <c>network:</c> section: the overlay (the tunnel addresses), the WireGuard settings every
/// node shares, and the shape. <see cref="HubRelay"/> is the relay's node name for a hub; for a
/// mesh it names the relay that carries pairs without a public endpoint on either side (null:
/// the first node with role relay). <see cref="Policy"/>: whether the flows are the enforced allow list.
/// </summary>
public sealed record NetworkSettings(
    IPNetwork Overlay,
    IPNetwork? OverlayV6,
    int ListenPort,
    int Mtu,
    int PersistentKeepalive,
    string InterfaceName,
    NetworkShape Shape,
    string? HubRelay,
    FlowPolicy Policy = FlowPolicy.Open)
{
    public const int DefaultListenPort = 51820;
    public const int DefaultMtu = 1420;
    public const int DefaultPersistentKeepalive = 25;
    public const string DefaultInterfaceName = "wireguard0";
}
