using Sitewire.Netfilter;
using Sitewire.Planner.Plan;

namespace Sitewire.Host.Doctor.Checks;

/// <summary>
/// A forwarding node whose LAN's MTU is above the tunnel's: full-size TCP segments of LAN hosts do not fit the tunnel and
/// pass only while path MTU discovery works (ICMP fragmentation-needed reaching their senders), so SYNs forwarded from the
/// LAN into the tunnel and back must have their MSS clamped (TCPMSS in iptables' mangle FORWARD, or an nft forward chain
/// with `tcp option maxseg size set`). Checked per family and LAN interface, both directions. A missing clamp is a
/// problem, a warning when the topology says `mss_clamp: false`.
/// </summary>
internal static class MssClampCheck
{
    public static IEnumerable<DoctorFinding> Run(DoctorContext context) =>
        !context.Forwards || context.Snapshot.Link(context.Name) is not { } tunnel
            ? []
            : context.Families.SelectMany(family => context.LanInterfacesOf(family).Select(lan => Check(context, family, lan, tunnel.Mtu)).OfType<DoctorFinding>());

    private static DoctorFinding? Check(DoctorContext context, IpFamily family, string lan, int tunnelMtu)
    {
        var lanMtu = context.Snapshot.Link(lan)?.Mtu ?? 1500;
        if (lanMtu <= tunnelMtu)
        {
            return null;
        }
        var check = FamilyCheckNames.Of("mss clamp", family, lan);
        var name = context.Name;
        var ruleset = context.Snapshot.Ruleset;
        bool Clamped(string inInterface, string outInterface) =>
            NetfilterEvaluator.Clamps(ruleset, "forward", new NetfilterPacket(family, inInterface, outInterface, null, null, "tcp", null, "new")).Count > 0;
        var outbound = Clamped(lan, name);
        var inbound = Clamped(name, lan);
        if (outbound && inbound)
        {
            return DoctorFinding.Ok(check, $"{family.Name} TCP SYNs forwarded between {lan} (mtu {lanMtu}) and {name} (mtu {tunnelMtu}) get their MSS clamped both ways");
        }
        var mss = tunnelMtu - (family == IpFamily.V4 ? 40 : 60);
        var missing = string.Join(" and ", new[] { outbound ? null : $"{lan} → {name}", inbound ? null : $"{name} → {lan}" }.OfType<string>());
        var message = $"no {family.Name} MSS clamp for TCP forwarded {missing}: full-size segments of LAN hosts ({lanMtu} bytes at {lan}'s MTU) exceed {name}'s MTU {tunnelMtu} and pass only while ICMP fragmentation-needed reaches their senders; where it is filtered, connections stall after the handshake (ping works, HTTPS stalls)";
        var iptables = new[]
        {
            outbound ? null : PlannedRules.ClampOut(family.Nft, "mangle", "FORWARD", name),
            inbound ? null : PlannedRules.ClampIn(family.Nft, "mangle", "FORWARD", name, mss, nfproto: null),
        }.OfType<NetfilterRule>().Select(rule => $"{family.Iptables} -t mangle -A {IptablesSyntax.Rule(rule)}");
        var nftRules = new[]
        {
            outbound ? null : PlannedRules.ClampOut("inet", "sitewire_mss", "forward", name),
            inbound ? null : PlannedRules.ClampIn("inet", "sitewire_mss", "forward", name, mss, family),
        }.OfType<NetfilterRule>().Select(rule => $"add rule inet sitewire_mss forward {NftSyntax.Statement(rule, "forward")}");
        var nft = $"nft 'add table inet sitewire_mss; add chain inet sitewire_mss forward {{ type filter hook forward priority mangle; }}; {string.Join("; ", nftRules)}'";
        var iptablesFix = string.Join(" && ", iptables);
        string[] fixes =
        [
            .. context.Snapshot.Firewalld is null ? new[] { iptablesFix, nft } : [nft, iptablesFix],
            $"(to keep it, add it as PostUp in /etc/wireguard/{name}.conf, or re-plan: `sitewire plan` clamps on every node with a LAN unless mss_clamp: false)",
        ];
        return context.Expectation is { MssClamp: false }
            ? DoctorFinding.Warning(check, message + " (the topology sets mss_clamp: false)", fixes)
            : DoctorFinding.Problem(check, message, fixes);
    }
}
