namespace Sitewire.Host.Doctor.Checks;

/// <summary>With firewalld running: the zones of the tunnel and LAN interfaces must allow forwarding (firewalld ≥ 1.0 blocks it by default).</summary>
internal static class FirewalldCheck
{
    public static IEnumerable<DoctorFinding> Run(DoctorContext context)
    {
        if (context.Snapshot.Firewalld is not { } firewalld)
        {
            yield break;
        }
        foreach (var iface in context.LanInterfaces.Prepend(context.Name).Where(firewalld.ZoneOfInterface.ContainsKey))
        {
            var zone = firewalld.ZoneOfInterface[iface];
            if (context.Forwards && !(firewalld.ZoneForwards.TryGetValue(zone, out var forwards) && forwards))
            {
                yield return DoctorFinding.Problem($"firewalld {iface}", $"{iface} is in firewalld zone {zone}, which does not forward: tunnel ↔ LAN traffic is dropped",
                    $"firewall-cmd --zone={zone} --add-forward && firewall-cmd --runtime-to-permanent");
            }
            else
            {
                yield return DoctorFinding.Ok($"firewalld {iface}", $"{iface} is in zone {zone}");
            }
        }
    }
}
