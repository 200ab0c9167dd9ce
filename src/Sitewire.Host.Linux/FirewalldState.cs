namespace Sitewire.Host.Linux;

/// <summary>One firewalld zone as `firewall-cmd --list-all-zones` shows it (runtime).</summary>
public sealed record FirewalldZoneState(string Name, IReadOnlyList<string> Interfaces, bool Forward, bool Masquerade, IReadOnlyList<string> Ports);

/// <summary>A firewalld policy: traffic from its ingress zones to its egress zones gets its target (ACCEPT opens forwarding).</summary>
public sealed record FirewalldPolicyState(string Name, string Target, IReadOnlyList<string> IngressZones, IReadOnlyList<string> EgressZones);

/// <summary>
/// firewalld as `firewall-cmd` reports it at runtime: the default zone, every zone with the interfaces added to it, and the
/// policies. An interface added to no zone has no <see cref="AssignedZone"/>: its packets fall into the default zone, but
/// forwarding within that zone does not reach it.
/// </summary>
public sealed record FirewalldState(string DefaultZone, IReadOnlyList<FirewalldZoneState> Zones, IReadOnlyList<FirewalldPolicyState> Policies)
{
    public FirewalldZoneState? Zone(string name) => Zones.FirstOrDefault(z => z.Name == name);

    public FirewalldZoneState? AssignedZone(string interfaceName) => Zones.FirstOrDefault(z => z.Interfaces.Contains(interfaceName));

    /// <summary>The zone that takes the interface's packets: its own, else the default zone.</summary>
    public string ZoneOf(string interfaceName) => AssignedZone(interfaceName)?.Name ?? DefaultZone;

    /// <summary>Whether an ACCEPT policy forwards from one zone to another (the `ANY` pseudo-zone included).</summary>
    public bool PolicyAccepts(string ingress, string egress) =>
        Policies.Any(p => p.Target == "ACCEPT" && (p.IngressZones.Contains(ingress) || p.IngressZones.Contains("ANY")) && (p.EgressZones.Contains(egress) || p.EgressZones.Contains("ANY")));

    /// <summary>
    /// Parses `firewall-cmd --list-all-zones` and `--list-all-policies`: blocks headed by a name (with "(default, active)" and
    /// the like), then indented "key: value" lines.
    /// </summary>
    public static FirewalldState Parse(string defaultZone, string zones, string policies) =>
        new(defaultZone.Trim(),
            [.. Blocks(zones).Select(b => new FirewalldZoneState(b.Name, Words(b, "interfaces"), Value(b, "forward") == "yes", Value(b, "masquerade") == "yes", Words(b, "ports")))],
            [.. Blocks(policies).Select(b => new FirewalldPolicyState(b.Name, Value(b, "target"), Words(b, "ingress-zones"), Words(b, "egress-zones")))]);

    private sealed record Block(string Name, Dictionary<string, string> Values);

    private static string Value(Block block, string key) => block.Values.TryGetValue(key, out var value) ? value : "";

    private static string[] Words(Block block, string key) => Value(block, key).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static IEnumerable<Block> Blocks(string text)
    {
        Block? current = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.Trim().Length == 0)
            {
                continue;
            }
            if (!char.IsWhiteSpace(line[0]))
            {
                if (current is not null)
                {
                    yield return current;
                }
                current = new Block(line.Split(' ', 2)[0].Trim(), []);
            }
            else if (current is not null && line.IndexOf(':', StringComparison.Ordinal) is var colon and > 0)
            {
                current.Values[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }
        if (current is not null)
        {
            yield return current;
        }
    }
}
