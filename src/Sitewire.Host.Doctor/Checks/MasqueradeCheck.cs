using Sitewire.Netfilter;
using Sitewire.Planner.Plan;

namespace Sitewire.Host.Doctor.Checks;

/// <summary>
/// Tunnel traffic forwarded into a LAN keeps its tunnel source unless it is masqueraded; LAN hosts that do not
/// route those sources back to this node (the seed's failure) cannot answer. Checked per family the LAN carries,
/// with that family's tunnel sources. When the plan masquerades (`nat: masquerade`), a missing masquerade is a problem.
/// When the plan routes the LAN (`nat: routed`), it is a problem only where the LAN certainly has another router for the
/// family (a route via a gateway on it), which must then route the tunnel's sources back to this node (the doctor cannot see
/// that router; verify can), else nothing. Without the plan: a problem with such a router, else a warning. A warning too
/// when a nat rule the doctor cannot evaluate may masquerade it. With firewalld running the first fix is
/// masquerade in the LAN interface's zone, as an admin of that node makes it.
/// </summary>
internal static class MasqueradeCheck
{
    public static IEnumerable<DoctorFinding> Run(DoctorContext context) =>
        !context.Forwards
            ? []
            : context.Families.SelectMany(family => context.LanInterfacesOf(family).Select(lan => Check(context, family, lan)).OfType<DoctorFinding>());

    private static DoctorFinding? Check(DoctorContext context, IpFamily family, string lan)
    {
        var sources = context.RemoteSources(family);
        if (sources.Count == 0)
        {
            return null;
        }
        var check = FamilyCheckNames.Of("masquerade", family, lan);
        var destination = context.LanPrefixes(lan, family).FirstOrDefault();
        var unmasqueraded = sources
            .Select(source => (Source: source, Chains: NetfilterEvaluator.Walk(context.Snapshot.Ruleset, "postrouting", "nat", new NetfilterPacket(family, context.Name, lan, source, destination, null, null, "new"))))
            .Where(walk => !walk.Chains.Any(v => v.Verdict is "masquerade" or "snat"))
            .ToList();
        var routed = context.Expectation is { MasqueradeLan: false };
        if (unmasqueraded.Count == 0)
        {
            return DoctorFinding.Ok(check, $"{family.Name} tunnel traffic leaving {lan} is masqueraded");
        }
        if (routed && !context.LanHasOtherRouter(lan, family))
        {
            return null;
        }
        var listed = string.Join(", ", unmasqueraded.Select(walk => walk.Source));
        var message = $"missing {family.Name} masquerade on {lan}: tunnel traffic from {listed} is forwarded into the LAN on {lan} with its tunnel source, and LAN hosts that route those addresses to their own gateway, not to this node, never answer";
        string[] fixes =
        [
            .. MasqueradeFixes.For(family, unmasqueraded.Select(walk => walk.Source), lan, context.Snapshot.Firewalld?.ZoneOf(lan), nftFirst: true),
            $"(to keep it, add the rule as PostUp in /etc/wireguard/{context.Name}.conf, or set nat: masquerade in the topology and re-plan)",
        ];
        if (unmasqueraded.SelectMany(walk => walk.Chains).FirstOrDefault(v => !v.IsCertain) is { } uncertain)
        {
            return DoctorFinding.Warning(check, $"{message}, unless {uncertain.Doubt} masquerades it", fixes);
        }
        if (routed)
        {
            return DoctorFinding.Problem(check, message + $" (the plan routes this LAN, nat: routed: that holds only when the LAN's router routes {listed} back to this node; `sitewire verify` tells whether the topology says so)", fixes);
        }
        return context.Expectation is not null || context.LanHasOtherRouter(lan, family)
            ? DoctorFinding.Problem(check, message, fixes)
            : DoctorFinding.Warning(check, message + " (hosts using this node as their gateway are fine)", fixes);
    }
}
