using System.Net;
using Sitewire.Netfilter;

namespace Sitewire.Host.Doctor.Checks;

/// <summary>
/// The interface's UDP listen port is not dropped by the input hook's chains (peers' handshakes must reach it):
/// IPv4 on the uplinks toward the peers' IPv4 endpoints and of the IPv4 default route, IPv6 on the uplinks toward
/// the peers' IPv6 endpoints (a peer dialled over IPv6 answers over IPv6). A node that keeps every peer's path open itself
/// (each peer has an endpoint and a persistent keepalive) gets their handshakes as replies of its own flow (conntrack
/// established), so only those must pass. The fix accepts the port in the chain that drops it: when that is firewalld's, by opening the port in the uplink's zone; when ufw's, by a ufw rule.
/// </summary>
internal static class InputPortCheck
{
    public static IEnumerable<DoctorFinding> Run(DoctorContext context)
    {
        var port = context.WireGuard.ListenPort;
        if (port == 0)
        {
            yield break;
        }
        var endpointUplinks = context.Snapshot.EndpointRoutes
            .Where(r => r.Value.Device is not null && IPAddress.TryParse(r.Key, out _))
            .Select(r => (Family: IpFamily.Of(IPAddress.Parse(r.Key)), Device: r.Value.Device));
        var defaultUplinks = context.Snapshot.Routes.Where(r => r.Family == IpFamily.V4 && r.Destination == "default" && r.Table == "main")
            .Select(r => (Family: IpFamily.V4, r.Device)).Where(u => u.Device is not null);
        var uplinks = endpointUplinks.Concat(defaultUplinks).Distinct().ToList();
        foreach (var family in new[] { IpFamily.V4 }.Concat(uplinks.Select(u => u.Family)).Distinct())
        {
            var devices = uplinks.Where(u => u.Family == family).Select(u => u.Device).DefaultIfEmpty(null);
            yield return Check(context, family, port, devices);
        }
    }

    private static DoctorFinding Check(DoctorContext context, IpFamily family, int port, IEnumerable<string?> uplinks)
    {
        var check = FamilyCheckNames.Of("udp port", family);
        foreach (var uplink in uplinks)
        {
            var packet = new NetfilterPacket(family, uplink, null, null, null, "udp", port, KeepsPathsOpen(context) ? "established" : "new");
            if (NetfilterEvaluator.Blocker(context.Snapshot.Ruleset, "input", packet) is { } blocker)
            {
                var chain = blocker.Chain;
                var foreign = ForeignFirewall.Deciding(context.Snapshot.Ruleset, blocker);
                var dropped = $"open{(family == IpFamily.V4 ? "" : " to IPv6")}: incoming handshakes{(uplink is null ? "" : $" on {uplink}")} are dropped by {blocker.DecidedBy}";
                var zone = context.Snapshot.Firewalld is { } state && FirewalldCheck.OwnsChain(chain) ? (uplink is null ? state.DefaultZone : state.ZoneOf(uplink)) : null;
                var firewalld = zone is null ? null : $"firewall-cmd --zone={zone} --add-port={port}/udp && firewall-cmd --permanent --zone={zone} --add-port={port}/udp";
                string[] fixes =
                [
                    .. firewalld is null ? [] : new[] { firewalld },
                    .. AcceptFixes.Input(context.Snapshot.Ruleset, blocker, packet),
                    .. blocker.Rule is null || chain.Legacy ? [] : new[] { $"(or remove the rule: nft delete rule {chain.Family} {chain.Table} {chain.Name} handle HANDLE, see nft -a list chain {chain.Family} {chain.Table} {chain.Name})" },
                ];
                var owner = foreign is null ? "" : (blocker.IsCertain ? ", " : "; ") + foreign.Named("input");
                return blocker.IsCertain
                    ? DoctorFinding.Problem(check, $"UDP port {port} is not {dropped}{owner}", fixes)
                    : DoctorFinding.Warning(check, $"UDP port {port} may not be {dropped} unless {blocker.Doubt} accepts them first{owner}", fixes);
            }
        }
        return DoctorFinding.Ok(check, $"UDP port {port} is open{(family == IpFamily.V4 ? "" : " to IPv6")}{(KeepsPathsOpen(context) ? " to its peers' replies (it keeps every peer's path open with keepalives)" : "")}");
    }

    private static bool KeepsPathsOpen(DoctorContext context) =>
        context.WireGuard.Peers.Count > 0 && context.WireGuard.Peers.All(p => p.Endpoint is not null && p.PersistentKeepalive is > 0);
}
