using Sitewire.Host.Live;
using Sitewire.Netfilter;

namespace Sitewire.Host.Doctor.Checks;

/// <summary>
/// With firewalld running, on a node that forwards: the tunnel must be in a zone (forwarding within a zone reaches only
/// interfaces added to it, and a `firewall-cmd --reload` drops the zone wg-quick's PostUp gave it at runtime), in the zone
/// of each LAN interface or joined to it both ways by ACCEPT policies or a zone target ACCEPT (the way out of such a zone), and that zone must forward (firewalld ≥ 1.0 blocks
/// forwarding otherwise). One finding for the tunnel, naming the first of these that fails with the firewall-cmd commands
/// that fix it at runtime and permanently; the forward-chain check leaves firewalld's own chains to this one.
/// </summary>
internal static class FirewalldCheck
{
    public static IEnumerable<DoctorFinding> Run(DoctorContext context)
    {
        if (context.Snapshot.Firewalld is not { } firewalld)
        {
            yield break;
        }
        var tunnel = context.Name;
        var check = $"firewalld {tunnel}";
        var lanZones = context.LanInterfaces.Select(lan => (Lan: lan, Zone: firewalld.ZoneOf(lan))).ToList();
        var target = lanZones.Select(l => l.Zone).FirstOrDefault() ?? firewalld.DefaultZone;
        if (firewalld.AssignedZone(tunnel) is not { } zone)
        {
            yield return context.Forwards
                ? DoctorFinding.Problem(check,
                    $"{tunnel} is in no firewalld zone: its packets fall into the default zone {firewalld.DefaultZone}, but forwarding within a zone reaches only interfaces added to it, so nothing is forwarded into the tunnel" +
                    " (wg-quick's PostUp adds it at runtime; a `firewall-cmd --reload` drops that)",
                    ChangeInterface(target, tunnel))
                : DoctorFinding.Ok(check, $"{tunnel} is in no zone; the default zone {firewalld.DefaultZone} takes its input");
            yield break;
        }
        if (!context.Forwards)
        {
            yield return DoctorFinding.Ok(check, $"{tunnel} is in zone {zone.Name}");
            yield break;
        }
        var zones = LiveFirewalld.Of(firewalld);
        foreach (var (lan, lanZone) in lanZones.Where(l => l.Zone != zone.Name))
        {
            var rejected = new[] { (From: tunnel, To: lan), (From: lan, To: tunnel) }
                .Where(way => !zones.Forwards(way.From, way.To)).Select(way => $"{way.From} → {way.To}").ToList();
            if (rejected.Count > 0)
            {
                yield return DoctorFinding.Problem(check,
                    $"{tunnel} is in firewalld zone {zone.Name} and {lan} in zone {lanZone}: firewalld forwards between two zones only along a policy that accepts it (or from a zone with target ACCEPT), so new connections {string.Join(" and ", rejected)} are rejected",
                    ChangeInterface(lanZone, tunnel),
                    $"(or a policy each way: firewall-cmd --permanent --new-policy=NAME && firewall-cmd --permanent --policy=NAME --add-ingress-zone={zone.Name} --add-egress-zone={lanZone} --set-target=ACCEPT && firewall-cmd --reload)");
                yield break;
            }
        }
        if (!zone.Forward && (lanZones.Count == 0 || lanZones.Any(l => l.Zone == zone.Name)))
        {
            yield return DoctorFinding.Problem(check,
                $"{tunnel} is in firewalld zone {zone.Name}, which does not forward between its interfaces: {(lanZones.Count == 0 ? "traffic between peers" : "tunnel ↔ LAN traffic")} is rejected",
                $"firewall-cmd --zone={zone.Name} --add-forward && firewall-cmd --permanent --zone={zone.Name} --add-forward");
            yield break;
        }
        yield return DoctorFinding.Ok(check, lanZones.Count == 0
            ? $"{tunnel} is in zone {zone.Name}, which forwards"
            : $"{tunnel} is in zone {zone.Name}, {string.Join(", ", lanZones.Select(l => $"{l.Lan} in {l.Zone}"))}; forwarding allowed");
    }

    /// <summary>Whether the chain is one firewalld made (its tables are named firewalld), so firewall-cmd is how to change it.</summary>
    public static bool OwnsChain(NetfilterChain chain) => chain.Table == "firewalld";

    /// <summary>Moves the interface into the zone now and in the permanent configuration (which a reload restores).</summary>
    public static string ChangeInterface(string zone, string interfaceName) =>
        $"firewall-cmd --zone={zone} --change-interface={interfaceName} && firewall-cmd --permanent --zone={zone} --change-interface={interfaceName}";
}
