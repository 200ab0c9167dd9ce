using Sitewire.Host.Linux;

namespace Sitewire.Host.Doctor.Checks;

/// <summary>ip_forward, and the forward hook's chains for tunnel → LAN (new), LAN → tunnel (replies) and tunnel → tunnel (relays).</summary>
internal static class ForwardingChecks
{
    public static IEnumerable<DoctorFinding> Run(DoctorContext context)
    {
        if (!context.Forwards)
        {
            yield break;
        }
        yield return context.Snapshot.Sysctl("net/ipv4/ip_forward") == "1"
            ? DoctorFinding.Ok("ip_forward", "net.ipv4.ip_forward = 1")
            : DoctorFinding.Problem("ip_forward", $"net.ipv4.ip_forward = 0: this node must forward between {context.Name} and {Describe(context)}, and the kernel drops every forwarded packet",
                "sysctl -w net.ipv4.ip_forward=1",
                "echo net.ipv4.ip_forward=1 > /etc/sysctl.d/99-sitewire.conf");
        var blocked = new List<DoctorFinding>();
        var remote = context.RemoteSources.FirstOrDefault(s => s.PrefixLength < 32, context.RemoteSources.FirstOrDefault());
        foreach (var lan in context.LanInterfaces)
        {
            var lanPrefix = context.LanPrefixes(lan).FirstOrDefault();
            blocked.AddRange(Blocked(context, new NetfilterPacket(context.Name, lan, remote, lanPrefix, null, null, "new"), $"{context.Name} → {lan} (new connections from the tunnel)"));
            blocked.AddRange(Blocked(context, new NetfilterPacket(lan, context.Name, lanPrefix, remote, null, null, "established"), $"{lan} → {context.Name} (replies)"));
        }
        if (context.WireGuard.Peers.Count >= 2)
        {
            blocked.AddRange(Blocked(context, new NetfilterPacket(context.Name, context.Name, remote, remote, null, null, "new"), $"{context.Name} → {context.Name} (relaying between peers)"));
        }
        if (blocked.Count == 0)
        {
            yield return DoctorFinding.Ok("forward", $"the forward chains let tunnel traffic through ({context.Name} ↔ {Describe(context)})");
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
        yield return DoctorFinding.Problem($"forward {packet.InInterface}→{packet.OutInterface}",
            $"{direction} is dropped by {by}",
            $"nft insert rule {chain.Family} {chain.Table} {chain.Name} iifname \"{packet.InInterface}\" oifname \"{packet.OutInterface}\"{state} accept",
            $"iptables -I FORWARD -i {packet.InInterface} -o {packet.OutInterface}{iptablesState} -j ACCEPT");
    }

    private static string Describe(DoctorContext context) =>
        context.LanInterfaces.Count == 0 ? "its peers" : string.Join(", ", context.LanInterfaces);
}
