using System.Text;

namespace Sitewire.Fuzz;

/// <summary>Every fuzz target by name: input bytes in, an undocumented exception out is a crash.</summary>
internal static class FuzzTargets
{
    public static readonly IReadOnlyDictionary<string, Action<byte[]>> All = new Dictionary<string, Action<byte[]>>(StringComparer.Ordinal)
    {
        ["wireguard-message"] = WireGuardMessageTarget.Run,
        ["wireguard-transport"] = WireGuardTransportTarget.Run,
        ["uapi"] = UapiTarget.Run,
        ["wg-quick"] = WgQuickTarget.Run,
        ["topology"] = TopologyTarget.Run,
        ["iptables-save"] = IptablesSaveTarget.Run,
        ["nft-json"] = NftJsonTarget.Run,
        ["firewall-cmd"] = FirewallCmdTarget.Run,
        ["node-snapshot"] = NodeSnapshotTarget.Run,
    };

    /// <summary>Text as a file read from disk becomes text: UTF-8, invalid sequences replaced.</summary>
    public static string Utf8(byte[] input) => Encoding.UTF8.GetString(input);
}
