using System.Net;
using Sitewire.Netfilter;

namespace Sitewire.Planner.Plan;

/// <summary>
/// The commands that masquerade packets leaving a node by one interface, as verify and the doctor both offer them: firewalld's
/// zone masquerade first where firewalld runs, then nftables and iptables in the order the node prefers. The nft command makes
/// its own table and chain, so it works on a node that has no nat table (a RHEL node with firewalld has none).
/// </summary>
public static class MasqueradeFixes
{
    /// <param name="sources">The sources to masquerade; any source when empty.</param>
    /// <param name="firewalldZone">The zone of <paramref name="outInterface"/> when firewalld runs on the node, else null.</param>
    public static IReadOnlyList<string> For(IpFamily family, IEnumerable<IPNetwork> sources, string outInterface, string? firewalldZone, bool nftFirst)
    {
        var masquerade = PlannedRules.Masquerade(family.Nft, "nat", "POSTROUTING", sources, outInterface);
        var nft = $"nft 'add table {family.Nft} sitewire_nat; add chain {family.Nft} sitewire_nat postrouting {{ type nat hook postrouting priority srcnat; }}; "
            + $"add rule {family.Nft} sitewire_nat postrouting {NftSyntax.Statement(masquerade, "postrouting")}'";
        var iptables = Iptables(family, masquerade);
        return
        [
            .. firewalldZone is null ? [] : new[] { $"firewall-cmd --zone={firewalldZone} --add-masquerade && firewall-cmd --permanent --zone={firewalldZone} --add-masquerade" },
            .. nftFirst ? new[] { nft, iptables } : [iptables, nft],
        ];
    }

    /// <summary>The iptables command alone, for the sources given.</summary>
    public static string Iptables(IpFamily family, IEnumerable<IPNetwork> sources, string outInterface) =>
        Iptables(family, PlannedRules.Masquerade(family.Nft, "nat", "POSTROUTING", sources, outInterface));

    private static string Iptables(IpFamily family, NetfilterRule masquerade) => $"{family.Iptables} -t nat -A {IptablesSyntax.Rule(masquerade)}";
}
