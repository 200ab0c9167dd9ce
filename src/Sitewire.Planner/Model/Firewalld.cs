namespace Sitewire.Planner.Model;

/// <summary>firewalld as seen by a packet: interfaces map to zones (else the default zone); forwarding passes within a forwarding zone or along an allowed policy.</summary>
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

    public FirewalldZone ZoneOf(string interfaceName) =>
        _zones.Find(z => z.Interfaces.Contains(interfaceName)) ?? Zone(DefaultZone);
}
