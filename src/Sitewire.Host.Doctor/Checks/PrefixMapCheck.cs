using System.Net;
using Sitewire.Netfilter;
using Sitewire.Planner.Plan;

namespace Sitewire.Host.Doctor.Checks;

/// <summary>
/// A mapped LAN subnet (the topology's <c>mapped_as</c>) needs both 1:1 translations at the tunnel: packets arriving on it
/// for the mapped prefix get the real one as destination (nat prerouting), packets leaving by it from the real prefix get
/// the mapped one as source (nat postrouting); iptables <c>-j NETMAP --to</c> or nftables <c>dnat|snat ip prefix to</c>.
/// Missing, the other sites' flows to the LAN go nowhere (inbound) or are dropped by the peers' AllowedIPs (outbound);
/// mapping to another prefix sends them to the wrong hosts. Checked only with a topology.
/// </summary>
internal static class PrefixMapCheck
{
    public static IEnumerable<DoctorFinding> Run(DoctorContext context) =>
        (context.Expectation?.Maps ?? []).SelectMany(map => new[]
        {
            Check(context, "prerouting", map.Mapped, map.Real),
            Check(context, "postrouting", map.Real, map.Mapped),
        });

    private static DoctorFinding Check(DoctorContext context, string hook, IPNetwork from, IPNetwork to)
    {
        var name = context.Name;
        var inbound = hook == "prerouting";
        var packet = inbound
            ? new NetfilterPacket(IpFamily.V4, name, null, null, from, null, null, "new")
            : new NetfilterPacket(IpFamily.V4, null, name, from, null, null, null, "new");
        var check = $"prefix map {from} → {to} ({(inbound ? "destination" : "source")})";
        var verdicts = NetfilterEvaluator.Walk(context.Snapshot.Ruleset, hook, "nat", packet);
        var found = verdicts.FirstOrDefault(v => v.Verdict == "netmap");
        if (found?.Rule?.MapsTo is { } mapsTo && IpFamily.ParsePrefix(mapsTo) == to)
        {
            return DoctorFinding.Ok(check, $"packets {(inbound ? $"arriving on {name} for" : $"leaving by {name} from")} {from} are mapped 1:1 to {to}");
        }
        var chain = inbound ? "prerouting { type nat hook prerouting priority dstnat; }" : "postrouting { type nat hook postrouting priority srcnat; }";
        var iptables = $"iptables -t nat -I {IptablesSyntax.Rule(PlannedRules.PrefixMap(IpFamily.V4.Nft, "nat", hook.ToUpperInvariant(), name, from, to, inbound))}";
        var statement = NftSyntax.Statement(PlannedRules.PrefixMap(IpFamily.V4.Nft, "sitewire_map", hook, name, from, to, inbound), hook);
        var nft = $"nft 'add table ip sitewire_map; add chain ip sitewire_map {chain}; add rule ip sitewire_map {hook} {statement}'";
        string[] fixes =
        [
            .. context.Snapshot.Firewalld is null ? new[] { iptables, nft } : [nft, iptables],
            $"(or bring the planned config up again: `wg-quick down {name}; wg-quick up {name}` re-adds the plan's PostUp rules)",
        ];
        var what = inbound
            ? $"packets arriving on {name} for {from} are not mapped to {to}: the other sites' flows to the mapped LAN are not delivered to its hosts"
            : $"packets from {from} leaving by {name} are not mapped to {to}: they keep the LAN's own source, which the peers' AllowedIPs drop (and which collides with another site's LAN)";
        return found is not null
            ? DoctorFinding.Problem(check, $"wrong prefix map: {found.DecidedBy} maps {from} elsewhere than {to}, so the other sites reach the wrong hosts", [$"delete that rule, then: {fixes[0]}", .. fixes[1..]])
            : verdicts.FirstOrDefault(v => !v.IsCertain) is { } uncertain
                ? DoctorFinding.Warning(check, $"{what}, unless {uncertain.Doubt} maps them", fixes)
                : DoctorFinding.Problem(check, $"missing prefix map: {what}", fixes);
    }
}
