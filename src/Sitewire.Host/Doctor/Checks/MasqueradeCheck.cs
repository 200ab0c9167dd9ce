using Sitewire.Host.Linux;

namespace Sitewire.Host.Doctor.Checks;

/// <summary>
/// Tunnel traffic forwarded into a LAN keeps its tunnel source unless it is masqueraded; LAN hosts that do not
/// route those sources back to this node (the seed's failure) cannot answer. With a topology the node's `nat:`
/// decides; without, a missing masquerade is a problem when the LAN certainly has another router (a route via a
/// gateway on it), else a warning.
/// </summary>
internal static class MasqueradeCheck
{
    public static IEnumerable<DoctorFinding> Run(DoctorContext context)
    {
        if (!context.Forwards || context.Expectation is { MasqueradeLan: false })
        {
            yield break;
        }
        foreach (var lan in context.LanInterfaces)
        {
            var destination = context.LanPrefixes(lan).FirstOrDefault();
            var unmasqueraded = context.RemoteSources
                .Where(source => NetfilterEvaluator.SourceNat(context.Snapshot.Ruleset, new NetfilterPacket(context.Name, lan, source, destination, null, null, "new")) is null)
                .ToList();
            if (unmasqueraded.Count == 0)
            {
                yield return DoctorFinding.Ok($"masquerade {lan}", $"tunnel traffic leaving {lan} is masqueraded");
                continue;
            }
            var sources = string.Join(", ", unmasqueraded);
            var message = $"missing masquerade on {lan}: tunnel traffic from {sources} is forwarded into the LAN on {lan} with its tunnel source, and LAN hosts that route those addresses to their own gateway, not to this node, never answer";
            string[] fixes =
            [
                $"nft 'add table ip sitewire_nat; add chain ip sitewire_nat postrouting {{ type nat hook postrouting priority srcnat; }}; add rule ip sitewire_nat postrouting ip saddr {{ {sources} }} oifname \"{lan}\" masquerade'",
                $"iptables -t nat -A POSTROUTING -s {string.Join(',', unmasqueraded)} -o {lan} -j MASQUERADE",
                $"(to keep it, add the rule as PostUp in /etc/wireguard/{context.Name}.conf, or set nat: masquerade in the topology and re-plan)",
            ];
            yield return context.Expectation is not null || context.LanHasOtherRouter(lan)
                ? DoctorFinding.Problem($"masquerade {lan}", message, fixes)
                : DoctorFinding.Warning($"masquerade {lan}", message + " (hosts using this node as their gateway are fine)", fixes);
        }
    }
}
