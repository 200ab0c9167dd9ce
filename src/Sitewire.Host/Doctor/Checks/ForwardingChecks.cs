using Sitewire.Host.Linux;

namespace Sitewire.Host.Doctor.Checks;

/// <summary>
/// Per family the interface carries: the forwarding sysctl, and the forward hook's chains for tunnel → LAN (new),
/// LAN → tunnel (replies) and tunnel → tunnel (relays).
/// </summary>
internal static class ForwardingChecks
{
    public static IEnumerable<DoctorFinding> Run(DoctorContext context) =>
        context.Forwards ? context.Families.SelectMany(family => Run(context, family)) : [];

    private static IEnumerable<DoctorFinding> Run(DoctorContext context, IpFamily family)
    {
        var sysctl = family.ForwardingSysctl;
        var check = FamilyCheckNames.Forwarding(family);
        var value = context.Snapshot.Sysctl(family.ForwardingSysctlPath);
        if (family == IpFamily.V6 && !context.Snapshot.Sysctls.ContainsKey(family.ForwardingSysctlPath))
        {
            yield return DoctorFinding.Problem(check,
                $"{sysctl} does not exist: the kernel runs without IPv6 (ipv6.disable=1 on its command line?), so this node cannot forward IPv6 between {context.Name} and {Describe(context, family)}",
                "remove ipv6.disable=1 from the kernel command line (/etc/default/grub) and reboot");
        }
        else
        {
            yield return value == "1"
                ? DoctorFinding.Ok(check, $"{sysctl} = 1")
                : DoctorFinding.Problem(check,
                    $"{sysctl} = {value}: this node must forward {family.Name} between {context.Name} and {Describe(context, family)}, and the kernel drops every forwarded {family.Name} packet",
                    $"sysctl -w {sysctl}=1",
                    $"echo {sysctl}=1 >> /etc/sysctl.d/99-sitewire.conf");
        }
        var blocked = new List<DoctorFinding>();
        var sources = context.RemoteSources(family);
        var remote = sources.FirstOrDefault(s => s.PrefixLength < family.HostPrefixLength, sources.FirstOrDefault());
        foreach (var lan in context.LanInterfacesOf(family))
        {
            var lanPrefix = context.LanPrefixes(lan, family).FirstOrDefault();
            blocked.AddRange(Blocked(context, new NetfilterPacket(family, context.Name, lan, remote, lanPrefix, null, null, "new"), $"{context.Name} → {lan} (new connections from the tunnel)"));
            blocked.AddRange(Blocked(context, new NetfilterPacket(family, lan, context.Name, lanPrefix, remote, null, null, "established"), $"{lan} → {context.Name} (replies)"));
        }
        if (context.WireGuard.Peers.Count >= 2)
        {
            blocked.AddRange(Blocked(context, new NetfilterPacket(family, context.Name, context.Name, remote, remote, null, null, "new"), $"{context.Name} → {context.Name} (relaying between peers)"));
        }
        if (blocked.Count == 0)
        {
            yield return DoctorFinding.Ok(FamilyCheckNames.Of("forward", family), $"the forward chains let {family.Name} tunnel traffic through ({context.Name} ↔ {Describe(context, family)})");
        }
        foreach (var finding in blocked)
        {
            yield return finding;
        }
    }

    private static IEnumerable<DoctorFinding> Blocked(DoctorContext context, NetfilterPacket packet, string direction)
    {
        if (NetfilterEvaluator.Blocker(context.Snapshot.Ruleset, "forward", packet) is not { } blocker)
        {
            yield break;
        }
        var chain = blocker.Chain;
        var by = blocker.Rule is null ? $"the policy {chain.Policy} of {chain.Family} {chain.Table} {chain.Name}" : $"rule `{blocker.Rule.Text}`";
        var state = packet.State == "new" ? "" : " ct state established,related";
        var iptablesState = packet.State == "new" ? "" : " -m conntrack --ctstate RELATED,ESTABLISHED";
        var family = packet.Family;
        yield return DoctorFinding.Problem(FamilyCheckNames.Of("forward", family, $"{packet.InInterface}→{packet.OutInterface}"),
            $"{family.Name} {direction} is dropped by {by}",
            $"nft insert rule {chain.Family} {chain.Table} {chain.Name} iifname \"{packet.InInterface}\" oifname \"{packet.OutInterface}\"{state} accept",
            $"{family.Iptables} -I FORWARD -i {packet.InInterface} -o {packet.OutInterface}{iptablesState} -j ACCEPT");
    }

    private static string Describe(DoctorContext context, IpFamily family) =>
        context.LanInterfacesOf(family) is { Count: > 0 } lans ? string.Join(", ", lans) : "its peers";
}
