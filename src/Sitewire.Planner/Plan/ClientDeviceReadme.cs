using System.Text;
using Sitewire.Config.Topology;

namespace Sitewire.Planner.Plan;

/// <summary>
/// <c>OUT/&lt;client&gt;/README.md</c> for a phone, tablet or desktop (<see cref="OsFamilyTraits.IsClientDevice"/>): the
/// WireGuard app of its OS imports the config file or scans the QR code (a Linux desktop brings it up with wg-quick or
/// imports it into NetworkManager); nothing is installed with a package manager of a server, nothing forwards.
/// </summary>
public static class ClientDeviceReadme
{
    public static string Render(NetworkPlan plan, NodePlan nodePlan)
    {
        var node = nodePlan.Node;
        var tunnel = plan.InterfaceName;
        var hasKey = nodePlan.Config.Interface.PrivateKey is not null;
        var text = new StringBuilder();
        text.Append($"# {node.Name}: client, {OsName(node.Os)}\n\n");
        text.Append($"Overlay address {string.Join(", ", nodePlan.Config.Interface.Addresses.Select(a => a.Address))}, public key `{nodePlan.PublicKey.ToBase64()}`.\n\n");
        AppendWhatItReaches(text, nodePlan);
        var step = 1;
        text.Append($"## {step++}. Install WireGuard\n\n{InstallStep(node.Os)}\n\n");
        if (!hasKey)
        {
            text.Append($"## {step++}. Its private key stays on the device\n\n");
            text.Append(nodePlan.PrivateKeyPath is { } keyPath
                ? $"```sh\n(umask 077; wg genkey | sudo tee {keyPath} | wg pubkey)\n```\n\nThe printed public key must equal this node's `public_key` in the topology; wg-quick loads the key with `PostUp = wg set %i private-key ...` (a NetworkManager import does not run PostUp: add `PrivateKey = ...` to the file before importing it there).\n\n"
                : $"The topology carries this device's `public_key`, so `{tunnel}.conf` holds no private key and no QR code is made: add the line `PrivateKey = ` with the device's own key to its `[Interface]` section before importing it (the app refuses a tunnel without one), or edit the tunnel the device already has to match the file. `keys: central` on the node makes a complete config and a QR code instead.\n\n");
        }
        text.Append($"## {step++}. Import the tunnel\n\n{ImportStep(node.Os, tunnel, hasKey)}\n\n");
        if (hasKey)
        {
            text.Append($"`{tunnel}.conf`{(node.Os is OsFamily.Android or OsFamily.Ios ? $", `{tunnel}.png` and `{tunnel}.qr.txt`" : "")} hold{(node.Os is OsFamily.Android or OsFamily.Ios ? "" : "s")} this device's private key: hand {(node.Os is OsFamily.Android or OsFamily.Ios ? "them" : "it")} only to the device's owner and delete {(node.Os is OsFamily.Android or OsFamily.Ios ? "them" : "it")} from shared places after the import.\n\n");
        }
        text.Append($"## {step}. Check it\n\n{CheckStep(node.Os, tunnel)}\n");
        return text.ToString();
    }

    private static void AppendWhatItReaches(StringBuilder text, NodePlan nodePlan)
    {
        var node = nodePlan.Node;
        if (node.RouteAll)
        {
            text.Append($"Full tunnel: everything the device sends goes through the tunnel to `{node.Exit}`, which forwards it to the Internet from its own address (masquerade); AllowedIPs {string.Join(", ", nodePlan.Config.Peers.SelectMany(peer => peer.AllowedIps).Distinct())}.\n");
        }
        else
        {
            text.Append($"Split tunnel: only {string.Join(", ", nodePlan.Config.Peers.SelectMany(peer => peer.AllowedIps).Distinct())} go through the tunnel; everything else leaves as before.\n");
        }
        text.Append(node.DnsServers.Count > 0
            ? $"While the tunnel is up the device asks the DNS servers {string.Join(", ", node.DnsServers)} (`DNS =` in the config).\n\n"
            : "The device keeps its own DNS servers (the topology sets no `dns:`).\n\n");
    }

    private static string OsName(OsFamily os) => os switch
    {
        OsFamily.Android => "Android",
        OsFamily.Ios => "iOS / iPadOS",
        OsFamily.Windows => "Windows",
        OsFamily.Macos => "macOS",
        _ => "Linux desktop",
    };

    private static string InstallStep(OsFamily os) => os switch
    {
        OsFamily.Android => "The WireGuard app by WireGuard Development Team, from Google Play or F-Droid (`com.wireguard.android`).",
        OsFamily.Ios => "The WireGuard app by WireGuard Development Team, from the App Store.",
        OsFamily.Windows => "WireGuard for Windows from https://www.wireguard.com/install/ (the installer `wireguard-installer.exe`, as an administrator).",
        OsFamily.Macos => "The WireGuard app by WireGuard Development Team, from the Mac App Store.",
        _ => "The `wireguard-tools` package of the distribution (wg and wg-quick), or NetworkManager 1.16 or later, which brings WireGuard support of its own.",
    };

    private static string ImportStep(OsFamily os, string tunnel, bool hasKey)
    {
        var scan = hasKey ? $"tap **+**, **Scan from QR code** and scan `{tunnel}.png` (or `cat {tunnel}.qr.txt` in a dark terminal); or " : "";
        return os switch
        {
            OsFamily.Android => $"In the app {scan}tap **+**, **Import from file or archive** and pick `{tunnel}.conf`. Name the tunnel, then switch it on; Android asks once to allow the VPN connection.",
            OsFamily.Ios => $"In the app {scan}tap **+**, **Create from file or archive** and pick `{tunnel}.conf` (sent to the device by AirDrop or saved in Files). Allow the VPN configuration when iOS asks, then switch the tunnel on.",
            OsFamily.Windows => $"In WireGuard, **Import tunnel(s) from file** and pick `{tunnel}.conf`, then **Activate**. Without the window, as an administrator: `wireguard.exe /installtunnelservice C:\\path\\to\\{tunnel}.conf`.",
            OsFamily.Macos => $"In the WireGuard menu, **Import Tunnel(s) from File…** and pick `{tunnel}.conf`; allow the VPN configuration when macOS asks, then **Activate**.",
            _ => $"With wg-quick:\n\n```sh\nsudo install -m 0600 {tunnel}.conf /etc/wireguard/{tunnel}.conf\nsudo wg-quick up {tunnel}\n```\n\nOr with NetworkManager (shows in the desktop's network menu): `nmcli connection import type wireguard file {tunnel}.conf`, then `nmcli connection up {tunnel}`.",
        };
    }

    private static string CheckStep(OsFamily os, string tunnel) => os switch
    {
        OsFamily.Linux => $"`sudo wg show {tunnel}` shows a `latest handshake` for the peer within seconds of the first packet; `sudo wg-quick down {tunnel}` (or `nmcli connection down {tunnel}`) stops it.",
        _ => "The tunnel's details in the app show a **latest handshake** a few seconds after the first packet and growing transfer counters; no handshake means the relay's UDP port is not reachable from this network or the keys do not match.",
    };
}
