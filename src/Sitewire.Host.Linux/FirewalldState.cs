namespace Sitewire.Host.Linux;

/// <summary>
/// One firewalld zone as `firewall-cmd --list-all-zones` shows it (runtime): its target (<c>default</c>, <c>ACCEPT</c>, <c>DROP</c>,
/// <c>%%REJECT%%</c>), the interfaces and source addresses bound to it, the services and ports it opens, whether it forwards
/// within itself and masquerades, its rich rules, the ICMP types it blocks (or, inverted, the only ones it lets in), its
/// forward ports (<c>port=80:proto=tcp:toport=8080:toaddr=</c>), and the source ports and protocols it opens.
/// </summary>
public sealed record FirewalldZoneState(string Name, string Target, IReadOnlyList<string> Interfaces, IReadOnlyList<string> Sources, IReadOnlyList<string> Services,
    IReadOnlyList<string> Ports, bool Forward, bool Masquerade, IReadOnlyList<string> RichRules, IReadOnlyList<string> IcmpBlocks, bool IcmpBlockInversion,
    IReadOnlyList<string> ForwardPorts, IReadOnlyList<string> SourcePorts, IReadOnlyList<string> Protocols);

/// <summary>
/// A firewalld policy: traffic from its ingress zones to its egress zones (<c>ANY</c>, <c>HOST</c> for the node itself) gets
/// what the policy opens, blocks or rewrites, then its target (ACCEPT, REJECT, DROP, or CONTINUE to the zones).
/// </summary>
public sealed record FirewalldPolicyState(string Name, string Target, IReadOnlyList<string> IngressZones, IReadOnlyList<string> EgressZones,
    IReadOnlyList<string> Services, IReadOnlyList<string> Ports, IReadOnlyList<string> Protocols, bool Masquerade, IReadOnlyList<string> ForwardPorts,
    IReadOnlyList<string> SourcePorts, IReadOnlyList<string> IcmpBlocks, IReadOnlyList<string> RichRules);

/// <summary>
/// firewalld as `firewall-cmd` reports it at runtime: the default zone, every zone with the interfaces added to it, the
/// policies, and the ports of each service a zone that takes packets opens (<see cref="ServicePorts"/>, PORT/PROTO or
/// FROM-TO/PROTO, with the ports of the services it includes; a service whose definition could not be read is absent).
/// An interface added to no zone has no <see cref="AssignedZone"/>: its packets fall into the default zone, but forwarding
/// within that zone does not reach it.
/// </summary>
public sealed record FirewalldState(string DefaultZone, IReadOnlyList<FirewalldZoneState> Zones, IReadOnlyList<FirewalldPolicyState> Policies,
    IReadOnlyDictionary<string, IReadOnlyList<string>> ServicePorts)
{
    public FirewalldZoneState? Zone(string name) => Zones.FirstOrDefault(z => z.Name == name);

    public FirewalldZoneState? AssignedZone(string interfaceName) => Zones.FirstOrDefault(z => z.Interfaces.Contains(interfaceName));

    /// <summary>The zone that takes the interface's packets: its own, else the default zone.</summary>
    public string ZoneOf(string interfaceName) => AssignedZone(interfaceName)?.Name ?? DefaultZone;

    /// <summary>Whether an ACCEPT policy forwards from one zone to another (the `ANY` pseudo-zone included).</summary>
    public bool PolicyAccepts(string ingress, string egress) =>
        Policies.Any(p => p.Target == "ACCEPT" && (p.IngressZones.Contains(ingress) || p.IngressZones.Contains("ANY")) && (p.EgressZones.Contains(egress) || p.EgressZones.Contains("ANY")));

    /// <summary>The zones that take packets: those bound to an interface or a source, and the default zone (which takes the rest).</summary>
    public IEnumerable<FirewalldZoneState> ActiveZones() => Zones.Where(z => z.Interfaces.Count > 0 || z.Sources.Count > 0 || z.Name == DefaultZone);

    /// <summary>
    /// Parses `firewall-cmd --list-all-zones` and `--list-all-policies`: blocks headed by a name (with "(default, active)" and
    /// the like), then indented "key: value" lines; each rich rule is a line of its own under "rich rules:", and so is each
    /// forward port under "forward-ports:" (firewalld ≥ 1.0; older ones list them on that line). No service's ports yet.
    /// </summary>
    public static FirewalldState Parse(string defaultZone, string zones, string policies) =>
        new(defaultZone.Trim(),
            [.. Blocks(zones).Select(b => new FirewalldZoneState(b.Name, Value(b, "target"), Words(b, "interfaces"), Words(b, "sources"), Words(b, "services"),
                Words(b, "ports"), Value(b, "forward") == "yes", Value(b, "masquerade") == "yes", b.RichRules, Words(b, "icmp-blocks"),
                Value(b, "icmp-block-inversion") == "yes", ForwardPorts(b), Words(b, "source-ports"), Words(b, "protocols")))],
            [.. Blocks(policies).Select(b => new FirewalldPolicyState(b.Name, Value(b, "target"), Words(b, "ingress-zones"), Words(b, "egress-zones"),
                Words(b, "services"), Words(b, "ports"), Words(b, "protocols"), Value(b, "masquerade") == "yes", ForwardPorts(b), Words(b, "source-ports"),
                Words(b, "icmp-blocks"), b.RichRules))],
            new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal));

    /// <summary>`firewall-cmd --info-service=NAME`: the service's ports and the services it includes.</summary>
    public static (IReadOnlyList<string> Ports, IReadOnlyList<string> Includes) ParseService(string text) =>
        Blocks(text).FirstOrDefault() is { } block ? (Words(block, "ports"), Words(block, "includes")) : ([], []);

    private sealed record Block(string Name, Dictionary<string, string> Values, List<string> RichRules, List<string> ForwardPortLines);

    private static string[] ForwardPorts(Block block) => [.. Words(block, "forward-ports"), .. block.ForwardPortLines];

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
                current = new Block(line.Split(' ', 2)[0].Trim(), [], [], []);
            }
            else if (current is not null && line.TrimStart().StartsWith("rule ", StringComparison.Ordinal))
            {
                current.RichRules.Add(line.Trim());
            }
            else if (current is not null && line.TrimStart().StartsWith("port=", StringComparison.Ordinal))
            {
                current.ForwardPortLines.Add(line.Trim());
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
