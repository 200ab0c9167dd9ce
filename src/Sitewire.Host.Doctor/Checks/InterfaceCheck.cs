namespace Sitewire.Host.Doctor.Checks;

/// <summary>The interface exists and is up.</summary>
internal static class InterfaceCheck
{
    public static IEnumerable<DoctorFinding> Run(DoctorContext context)
    {
        var link = context.Snapshot.Link(context.Name);
        yield return link switch
        {
            null => DoctorFinding.Problem("interface", $"{context.Name} has a WireGuard configuration but no link", $"wg-quick down {context.Name}; wg-quick up {context.Name}"),
            { Up: false } => DoctorFinding.Problem("interface", $"{context.Name} is down", $"ip link set {context.Name} up"),
            _ => DoctorFinding.Ok("interface", $"{context.Name} is up (mtu {link.Mtu}, {context.WireGuard.Peers.Count} peers, listening on {(context.WireGuard.ListenPort == 0 ? "a random port" : context.WireGuard.ListenPort)})"),
        };
    }
}
