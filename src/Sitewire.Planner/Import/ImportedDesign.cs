using Sitewire.Config.Diagnostics;
using Sitewire.Config.Topology;

namespace Sitewire.Planner.Import;

/// <summary>
/// An imported topology as the in-memory design plan takes, every node on one OS: what import compares the configs
/// with (AllowedIPs a design gives, hook lines plan writes). What the configs leave open is filled so that it adds
/// nothing: a LAN with no interface named gets a placeholder, a LAN without a masquerade rule is routed.
/// </summary>
internal static class ImportedDesign
{
    private const string UnknownLanInterface = "lan0";

    public static Topology ToTopology(ImportedTopology imported, OsFamily os)
    {
        var network = new NetworkSettings(
            imported.Overlay, imported.OverlayV6, imported.ListenPort, imported.Mtu ?? NetworkSettings.DefaultMtu,
            imported.PersistentKeepalive ?? NetworkSettings.DefaultPersistentKeepalive, imported.InterfaceName ?? NetworkSettings.DefaultInterfaceName,
            imported.Shape, imported.Hub is { } hub ? [hub] : []);
        var location = new SourceLocation("(import)", 1, 1);
        var nodes = imported.Nodes.Select(node => new Node(
            node.Name, node.Role, os, node.Endpoint, node.BehindNat, node.OverlayAddress, false, node.OverlayAddressV6,
            node.LanSubnets.Count > 0 || node.LanInterface is not null
                ? new LanSettings(node.LanInterface ?? UnknownLanInterface, null, null, [.. node.LanSubnets.Select(node.Subnet)])
                : null,
            node.LanSubnets.Count > 0 || node.LanInterface is not null ? node.Nat ?? NatMode.Routed : NatMode.None,
            node.PublicInterface, node.PublicKey, location, null, node.Overrides)).ToList();
        return new Topology(network, nodes, [], [], location.File);
    }
}
