using Sitewire.Host.Lab;

namespace Sitewire.E2E.Doctor;

/// <summary>
/// A lab node's expected-state file as the lab installs it: in /etc/netns/NAMESPACE/wireguard/, which `ip netns exec` mounts
/// over /etc/wireguard, where `sitewire doctor IFACE` in the node looks for it.
/// </summary>
internal static class InstalledExpectedState
{
    public static string PathOf(LabState state, string node, string iface) =>
        Path.Combine(LabPaths.EtcDirectory(state.NamespaceOf(node)), "wireguard", $"sitewire-{iface}.json");

    /// <summary>Runs <paramref name="check"/> with the node's file moved away, and puts it back.</summary>
    public static void Without(LabState state, string node, string iface, Action check)
    {
        var installed = PathOf(state, node, iface);
        var away = installed + ".away";
        File.Move(installed, away);
        try
        {
            check();
        }
        finally
        {
            File.Move(away, installed);
        }
    }
}
