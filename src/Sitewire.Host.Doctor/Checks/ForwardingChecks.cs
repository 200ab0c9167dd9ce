using Sitewire.Netfilter;

namespace Sitewire.Host.Doctor.Checks;

/// <summary>
/// Per family the interface carries: the forwarding sysctl, and the forward hook's chains both ways between the tunnel
/// and each LAN (new connections from either side and their replies) and tunnel → tunnel (relays). A drop in firewalld's own
/// chains, while it runs, is <see cref="FirewalldCheck"/>'s to name in zones and firewall-cmd commands. Under the plan's flow
/// policy new connections from the tunnel are the policy's to decide (<see cref="DriftCheck"/> checks its rules), so only
/// their replies are checked here.
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
        var policed = context.Expectation is { FlowPolicy: true };
        foreach (var lan in context.LanInterfacesOf(family))
        {
            var lanPrefix = context.LanPrefixes(lan, family).FirstOrDefault();
            var fromTunnel = new NetfilterPacket(family, context.Name, lan, remote, lanPrefix, null, null, "new");
            blocked.AddRange(policed
                ? Finding(context, fromTunnel with { State = "established" }, "replies to connections from the LAN")
                : Direction(context, fromTunnel, "new connections from the tunnel", "replies to connections from the LAN"));
            blocked.AddRange(Direction(context, new NetfilterPacket(family, lan, context.Name, lanPrefix, remote, null, null, "new"),
                "new connections from the LAN", "replies to connections from the tunnel"));
        }
        if (context.WireGuard.Peers.Count >= 2)
        {
            var relayed = new NetfilterPacket(family, context.Name, context.Name, remote, remote, null, null, policed ? "established" : "new");
            blocked.AddRange(Finding(context, relayed, policed ? "replies relayed between peers" : "relaying between peers"));
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

    /// <summary>
    /// One direction through the node: new connections (whose accept also lets the replies of the other side's connections
    /// through), else the replies alone (ct state established,related).
    /// </summary>
    private static IEnumerable<DoctorFinding> Direction(DoctorContext context, NetfilterPacket opening, string openingLabel, string repliesLabel)
    {
        var replies = opening with { State = "established" };
        var ruleset = context.Snapshot.Ruleset;
        var repliesBlocker = NetfilterEvaluator.Blocker(ruleset, "forward", replies);
        if (NetfilterEvaluator.Blocker(ruleset, "forward", opening) is not null)
        {
            return Finding(context, opening, repliesBlocker is { IsCertain: true } ? $"{openingLabel} and {repliesLabel}" : openingLabel);
        }
        return [.. Finding(context, opening, openingLabel), .. repliesBlocker is null ? [] : Finding(context, replies, repliesLabel)];
    }

    /// <summary>
    /// The packet dropped by a forward chain: a problem naming the chain's rule or policy, with the accept as the fix; a warning
    /// instead when a rule the doctor cannot evaluate comes first and may accept it, or when the packet passes unless such a rule drops it.
    /// </summary>
    private static IEnumerable<DoctorFinding> Finding(DoctorContext context, NetfilterPacket packet, string label)
    {
        var family = packet.Family;
        var check = FamilyCheckNames.Of("forward", family, $"{packet.InInterface}→{packet.OutInterface}");
        var direction = $"{family.Name} {packet.InInterface} → {packet.OutInterface} ({label})";
        var verdicts = NetfilterEvaluator.Walk(context.Snapshot.Ruleset, "forward", "filter", packet);
        if (verdicts.FirstOrDefault(v => v.Verdict is "drop" or "reject") is not { } blocker)
        {
            if (verdicts.FirstOrDefault(v => !v.IsCertain) is { } uncertain)
            {
                yield return DoctorFinding.Warning(check, $"{direction} passes the forward chains unless {uncertain.Doubt} drops it first");
            }
            yield break;
        }
        if (context.Snapshot.Firewalld is not null && FirewalldCheck.OwnsChain(blocker.Chain))
        {
            yield break;
        }
        var ruleset = context.Snapshot.Ruleset;
        var foreign = ForeignFirewall.Deciding(ruleset, blocker);
        var fixes = AcceptFixes.Forward(ruleset, blocker, packet);
        yield return blocker.IsCertain
            ? DoctorFinding.Problem(check, $"{direction} is dropped by {blocker.DecidedBy}{(foreign is null ? "" : ", " + foreign.Named("forward"))}", fixes)
            : DoctorFinding.Warning(check, $"{direction} is dropped by {blocker.DecidedBy} unless {blocker.Doubt} accepts it first{(foreign is null ? "" : "; " + foreign.Named("forward"))}", fixes);
    }

    private static string Describe(DoctorContext context, IpFamily family) =>
        context.LanInterfacesOf(family) is { Count: > 0 } lans ? string.Join(", ", lans) : "its peers";
}
