using Sitewire.Config.Topology;
using Sitewire.Netfilter;
using Sitewire.Text;

namespace Sitewire.Planner.Plan;

/// <summary>
/// Renders rules for nftables hosts (the RHEL family): one table <c>inet sitewire_&lt;iface&gt;</c>
/// holding the masquerade rules, the 1:1 translation of mapped LAN subnets (nat prerouting <c>dnat ip prefix to</c>, nat
/// postrouting <c>snat ip prefix to</c>; firewalld has no prefix NAT of its own, and its zones still filter the
/// translated packets, so the table works beside it as for masquerade), the node's drop rules (filter chains; a drop in any table is final) and the MSS clamp (a
/// forward chain at mangle priority: SYNs leaving by the tunnel get `rt mtu`, SYNs arriving from it the tunnel's MSS of
/// their family), replaced atomically on up (add, delete, define in one
/// transaction, so up twice leaves one table) and deleted on down. Filtering openings are left to
/// firewalld (an accept in this table cannot override another table's drop); the firewalld part
/// runs only when firewalld is running. firewalld has no MSS clamp of its own (only deprecated direct rules), and
/// this table works beside it. The flow policy is a forward chain of this table too: it drops what no allow flow
/// accepts, and a drop is final whatever firewalld's zones accept (its accepts are not: firewalld still has to forward
/// the allowed flows, which the zone change does). On a Docker node the forward accepts also go into Docker's
/// DOCKER-USER chain, with iptables (see <see cref="IptablesRenderer.RenderDockerUser"/>): Docker's FORWARD policy DROP
/// is a table of its own, which firewalld's accept does not override.
/// </summary>
public static class NftablesRenderer
{
    public static string TableName(string tunnel) =>
        "sitewire_" + new string(tunnel.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_').ToArray());

    public static RenderedHooks Render(NodeRules rules, string tunnel, bool hasIpv6)
    {
        var up = new List<string>();
        var down = new List<string>();
        up.AddRange(rules.Sysctls.Select(IptablesRenderer.SysctlLine));
        var planned = PlannedRuleset.Of(rules, tunnel, RuleBackend.Nftables, hasIpv6, NetfilterRuleset.Empty);
        var ruleset = planned.Ruleset;
        var table = $"inet {TableName(tunnel)}";
        if (ruleset.Chains.Any(c => c.Family == "inet" && c.Table == TableName(tunnel)))
        {
            up.Add($"nft {ShellWord.Quote($"add table {table}; delete table {table}; {NftSyntax.Table(ruleset, "inet", TableName(tunnel), Priority, NftString)}")}");
            down.Add($"nft delete table {table} 2>/dev/null || true");
        }
        if (rules.Firewall.Firewalld is { } zone)
        {
            up.Add(FirewalldUp(zone));
            down.Add(FirewalldDown(zone));
        }
        var dockerUser = IptablesRenderer.RenderDockerUser(planned.Added, tunnel);
        up.AddRange(dockerUser.PostUp);
        down.InsertRange(0, dockerUser.PostDown);
        return new RenderedHooks(up, down);
    }

    /// <summary>The MSS clamp at mangle priority (before filtering), the rest at nft's usual ones.</summary>
    private static string Priority(NetfilterChain chain) => chain.Name == MssClampChain ? "mangle" : NftSyntax.DefaultPriority(chain);

    /// <summary>The chain of the node's table that clamps the MSS.</summary>
    public const string MssClampChain = "mss_clamp";

    /// <summary>An interface name as an nft string; nft strings have no escapes, so a name that is not one is refused.</summary>
    private static string NftString(string interfaceName) =>
        TopologyValues.IsInterfaceName(interfaceName)
            ? $"\"{interfaceName}\""
            : throw new ArgumentException($"'{DisplayText.Escape(interfaceName)}' is not a valid interface name", nameof(interfaceName));

    private static string FirewalldUp(FirewalldZoneChange change)
    {
        var zoneOf = change.ZoneOfInterface is null ? "" : $"firewall-cmd --get-zone-of-interface={ShellWord.Quote(change.ZoneOfInterface)} 2>/dev/null || ";
        var port = change.UdpPort is { } udp ? $" firewall-cmd -q --zone=\"$z\" --add-port={udp}/udp;" : "";
        return "if firewall-cmd --state >/dev/null 2>&1; then"
            + $" z=$({zoneOf}firewall-cmd --get-default-zone);"
            + " firewall-cmd -q --zone=\"$z\" --change-interface=%i;"
            + " firewall-cmd -q --zone=\"$z\" --query-forward || firewall-cmd -q --zone=\"$z\" --add-forward;"
            + port
            + " fi";
    }

    private static string FirewalldDown(FirewalldZoneChange change)
    {
        var port = change.UdpPort is { } udp ? $" firewall-cmd -q --zone=\"$z\" --remove-port={udp}/udp || true;" : "";
        return "if firewall-cmd --state >/dev/null 2>&1; then"
            + " z=$(firewall-cmd --get-zone-of-interface=%i 2>/dev/null || firewall-cmd --get-default-zone);"
            + port
            + " firewall-cmd -q --zone=\"$z\" --remove-interface=%i || true;"
            + " fi";
    }
}
