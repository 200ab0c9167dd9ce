namespace Sitewire.Planner.Model;

/// <summary>
/// firewalld as seen by a packet: an interface belongs to the zone it was added to, else to the default zone.
/// Forwarding passes within a forwarding zone towards the zone's own interfaces, or along an allowed policy.
/// </summary>
public sealed class Firewalld
{
    private readonly List<FirewalldZone> _zones = [];

    public string DefaultZone { get; init; } = "public";
    public IReadOnlyList<FirewalldZone> Zones => _zones;

    /// <summary>Policies (ingress zone → egress zone) that accept forwarded traffic.</summary>
    public HashSet<(string Ingress, string Egress)> ForwardPolicies { get; } = [];

    public FirewalldZone Zone(string name)
    {
        var zone = _zones.Find(z => z.Name == name);
        if (zone is null)
        {
            zone = new FirewalldZone(name);
            _zones.Add(zone);
        }
        return zone;
    }

    /// <summary>The zone the interface was added to, null when it is in none (it then falls into the default zone).</summary>
    public FirewalldZone? AssignedZone(string interfaceName) => _zones.Find(z => z.Interfaces.Contains(interfaceName));

    public FirewalldZone ZoneOf(string interfaceName) => AssignedZone(interfaceName) ?? Zone(DefaultZone);

    /// <summary>`firewall-cmd --zone=Z --change-interface=I`: the interface leaves its zone, if any, and joins <paramref name="zone"/>.</summary>
    public void ChangeInterface(string interfaceName, FirewalldZone zone)
    {
        AssignedZone(interfaceName)?.Interfaces.Remove(interfaceName);
        zone.Interfaces.Add(interfaceName);
    }
}
