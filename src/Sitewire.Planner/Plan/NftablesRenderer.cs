using System.Net;
using System.Text;
using Sitewire.Config.Topology;
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
    private const string Syn = "tcp flags syn / syn,rst";

    public static string TableName(string tunnel) =>
        "sitewire_" + new string(tunnel.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_').ToArray());

    public static RenderedHooks Render(NodeRules rules, string tunnel, bool hasIpv6)
    {
        var up = new List<string>();
        var down = new List<string>();
        up.AddRange(rules.Sysctls.Select(IptablesRenderer.SysctlLine));
        if (rules.Nat.Count > 0 || rules.Maps.Count > 0 || rules.Firewall.Drops.Count > 0 || rules.Clamp is not null || rules.Firewall.FlowPolicy is not null)
        {
            var table = $"inet {TableName(tunnel)}";
            var definition = new StringBuilder();
            definition.Append($"add table {table}; delete table {table}; table {table} {{");
            if (rules.Clamp is { } clamp)
            {
                definition.Append(" chain mss_clamp { type filter hook forward priority mangle; policy accept;");
                definition.Append($" oifname {NftString(clamp.Tunnel)} {Syn} tcp option maxseg size set rt mtu;");
                foreach (var ipv6 in hasIpv6 ? new[] { false, true } : [false])
                {
                    var mss = clamp.MssFor(ipv6);
                    definition.Append($" meta nfproto {(ipv6 ? "ipv6" : "ipv4")} iifname {NftString(clamp.Tunnel)} {Syn} tcp option maxseg size {mss + 1}-65535 tcp option maxseg size set {mss};");
                }
                definition.Append(" };");
            }
            if (rules.Maps.Count > 0)
            {
                definition.Append(" chain prerouting { type nat hook prerouting priority -100; policy accept;");
                foreach (var map in rules.Maps)
                {
                    definition.Append($" iifname {NftString(map.Tunnel)} ip daddr {map.Mapped} dnat ip prefix to {map.Real};");
                }
                definition.Append(" };");
            }
            if (rules.Nat.Count > 0 || rules.Maps.Count > 0)
            {
                definition.Append(" chain postrouting { type nat hook postrouting priority 100; policy accept;");
                foreach (var map in rules.Maps)
                {
                    definition.Append($" oifname {NftString(map.Tunnel)} ip saddr {map.Real} snat ip prefix to {map.Mapped};");
                }
                foreach (var nat in rules.Nat)
                {
                    var family = NodeRulesPlanner.IsV6(nat.SourcePrefix) ? "ip6" : "ip";
                    definition.Append($" {family} saddr {nat.SourcePrefix} oifname {NftString(nat.OutInterface)} masquerade;");
                }
                definition.Append(" };");
            }
            foreach (var chain in rules.Firewall.Drops.Select(drop => drop.Chain).Distinct().Order())
            {
                var hook = chain == FilterChain.Forward ? "forward" : "input";
                definition.Append($" chain {hook} {{ type filter hook {hook} priority 0; policy accept;");
                foreach (var drop in rules.Firewall.Drops.Where(drop => drop.Chain == chain))
                {
                    definition.Append($" {DropMatch(drop)}drop;");
                }
                definition.Append(" };");
            }
            if (rules.Firewall.FlowPolicy is { } policy)
            {
                definition.Append(FlowPolicyChain(policy));
            }
            definition.Append(" }");
            up.Add($"nft {ShellWord.Quote(definition.ToString())}");
            down.Add($"nft delete table {table} 2>/dev/null || true");
        }
        if (rules.Firewall.Firewalld is { } zone)
        {
            up.Add(FirewalldUp(zone));
            down.Add(FirewalldDown(zone));
        }
        var dockerUser = IptablesRenderer.RenderDockerUser(rules, tunnel, hasIpv6);
        up.AddRange(dockerUser.PostUp);
        down.InsertRange(0, dockerUser.PostDown);
        return new RenderedHooks(up, down);
    }

    /// <summary>The flow policy's chain: from the tunnel, replies pass, deny rules drop, allow rules accept, the rest drops.</summary>
    private static string FlowPolicyChain(FlowFilter policy)
    {
        var tunnel = $"iifname {NftString(policy.TunnelInterface)}";
        var chain = new StringBuilder($" chain {FlowFilter.NftChain} {{ type filter hook forward priority 0; policy accept; {tunnel} ct state established,related accept;");
        foreach (var rule in policy.Rules)
        {
            var family = rule.Family == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "ip6" : "ip";
            var match = rule.Port is { } port
                ? $"{rule.Protocol.ToString().ToLowerInvariant()} dport {port}"
                : family == "ip6" ? "icmpv6 type echo-request" : "icmp type echo-request";
            chain.Append($" {tunnel} {family} saddr {NftSet(rule.Sources)} {family} daddr {NftSet(rule.Destinations)} {match} {(rule.Expect == FlowExpectation.Deny ? "drop" : "accept")};");
        }
        chain.Append($" {tunnel} drop; }};");
        return chain.ToString();
    }

    private static string NftSet(IReadOnlyList<IPNetwork> prefixes) =>
        prefixes.Count == 1 ? prefixes[0].ToString() : $"{{ {string.Join(", ", prefixes)} }}";

    /// <summary>The rule's matches in nft syntax, each followed by a space.</summary>
    internal static string DropMatch(DropRule drop)
    {
        string Family(IPNetwork prefix) => NodeRulesPlanner.IsV6(prefix) ? "ip6" : "ip";
        var protocol = drop.Protocol?.ToString().ToLowerInvariant();
        return (drop.InInterface is { } inName ? $"iifname {NftString(inName)} " : "")
            + (drop.OutInterface is { } outName ? $"oifname {NftString(outName)} " : "")
            + (drop.Source is { } source ? $"{Family(source)} saddr {source} " : "")
            + (drop.Destination is { } destination ? $"{Family(destination)} daddr {destination} " : "")
            + (drop.Port is { } port ? $"{protocol} dport {port} " : protocol is not null ? $"meta l4proto {protocol} " : "");
    }

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
