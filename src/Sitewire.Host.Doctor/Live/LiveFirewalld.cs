using System.Globalization;
using Sitewire.Planner.Model;
using Sitewire.Host.Linux;

namespace Sitewire.Host.Live;

/// <summary>
/// firewalld as `firewall-cmd` reported it, in the model's terms: zones with their target, interfaces, ports (their own and
/// their services'), forwarding, masquerade and ICMP blocks, and the ACCEPT policies. What of an active zone or a policy the
/// model does not judge (bound sources, rich rules, a service whose ports were not read, a port range, an unknown target,
/// forward ports, source ports and protocols, and a policy's own content) is named by <see cref="NotModelled(FirewalldState)"/>,
/// so it stays visible rather than silently accepted or dropped.
/// </summary>
internal static class LiveFirewalld
{
    public static Firewalld Of(FirewalldState state)
    {
        var firewalld = new Firewalld { DefaultZone = state.DefaultZone };
        foreach (var zoneState in state.Zones)
        {
            var zone = firewalld.Zone(zoneState.Name);
            zone.Target = Firewalld.TryParseTarget(zoneState.Target, out var target) ? target : FirewalldTarget.Default;
            zone.Forward = zoneState.Forward;
            zone.Masquerade = zoneState.Masquerade;
            zone.Interfaces.UnionWith(zoneState.Interfaces);
            zone.IcmpBlocks.UnionWith(zoneState.IcmpBlocks);
            zone.IcmpBlockInversion = zoneState.IcmpBlockInversion;
            zone.OpenPorts.UnionWith(OpenedPorts(state, zoneState).Select(Port).OfType<(Protocol, ushort)>());
        }
        foreach (var ingress in state.Zones)
        {
            foreach (var egress in state.Zones.Where(egress => state.PolicyAccepts(ingress.Name, egress.Name)))
            {
                firewalld.ForwardPolicies.Add((ingress.Name, egress.Name));
            }
        }
        return firewalld;
    }

    /// <summary>What of the zones that take packets the model leaves out, one line each.</summary>
    public static IEnumerable<string> NotModelled(FirewalldState state)
    {
        foreach (var zone in state.ActiveZones())
        {
            var name = $"firewalld zone '{zone.Name}'";
            if (!Firewalld.TryParseTarget(zone.Target, out _))
            {
                yield return $"{name} has target {zone.Target} (taken as default)";
            }
            if (zone.Sources.Count > 0)
            {
                yield return $"{name} binds the sources {string.Join(", ", zone.Sources)} (zones are judged by interface only)";
            }
            foreach (var rule in zone.RichRules)
            {
                yield return $"{name} has the rich rule `{rule}`";
            }
            foreach (var service in zone.Services.Where(s => !state.ServicePorts.ContainsKey(s)))
            {
                yield return $"{name} opens the service {service}, whose ports were not read";
            }
            foreach (var port in OpenedPorts(state, zone).Where(p => Port(p) is null))
            {
                yield return $"{name} opens {port} (a range or a protocol the model does not judge)";
            }
            foreach (var line in Rewrites(name, zone.ForwardPorts, zone.SourcePorts, zone.Protocols))
            {
                yield return line;
            }
        }
        var takingPackets = state.ActiveZones().Select(z => z.Name).Append("ANY").Append("HOST").ToHashSet(StringComparer.Ordinal);
        // A policy takes packets when each side names ANY, HOST or a zone that takes packets.
        foreach (var policy in state.Policies.Where(p => p.IngressZones.Any(takingPackets.Contains) && p.EgressZones.Any(takingPackets.Contains)))
        {
            foreach (var line in NotModelled(policy))
            {
                yield return line;
            }
        }
    }

    /// <summary>
    /// What of a policy the model leaves out. It judges only an ACCEPT policy between two zones, as forwarding allowed; a
    /// policy's ports, services, blocks, rewrites and rich rules, and a REJECT or DROP one (which runs before the zones'
    /// targets), are named. Rich rules that only accept ICMP types (firewalld's own allow-host-ipv6 lets in neighbour
    /// discovery, which the model takes for granted) are not.
    /// </summary>
    private static IEnumerable<string> NotModelled(FirewalldPolicyState policy)
    {
        var name = $"firewalld policy '{policy.Name}' ({string.Join(" ", policy.IngressZones)} → {string.Join(" ", policy.EgressZones)})";
        if (policy.Target is "REJECT" or "DROP")
        {
            yield return $"{name} has target {policy.Target} (it refuses before the zones; taken as no policy)";
        }
        if (policy.Target == "ACCEPT" && policy.EgressZones.Contains("HOST"))
        {
            yield return $"{name} accepts what enters the node itself (input is judged by the zones only)";
        }
        foreach (var content in policy.Services.Select(s => $"opens the service {s}").Concat(policy.Ports.Select(p => $"opens {p}"))
            .Concat(policy.IcmpBlocks.Select(t => $"blocks ICMP {t}")))
        {
            yield return $"{name} {content}";
        }
        if (policy.Masquerade)
        {
            yield return $"{name} masquerades";
        }
        foreach (var line in Rewrites(name, policy.ForwardPorts, policy.SourcePorts, policy.Protocols))
        {
            yield return line;
        }
        foreach (var rule in policy.RichRules.Where(rule => !AcceptsOnlyAnIcmpType(rule)))
        {
            yield return $"{name} has the rich rule `{rule}`";
        }
    }

    private static IEnumerable<string> Rewrites(string name, IReadOnlyList<string> forwardPorts, IReadOnlyList<string> sourcePorts, IReadOnlyList<string> protocols) =>
        forwardPorts.Select(port => $"{name} forwards {port}")
            .Concat(sourcePorts.Select(port => $"{name} opens the source port {port}"))
            .Concat(protocols.Select(protocol => $"{name} opens the protocol {protocol}"));

    private static bool AcceptsOnlyAnIcmpType(string rule) =>
        rule.Contains(" icmp-type name=", StringComparison.Ordinal) && rule.EndsWith(" accept", StringComparison.Ordinal)
        && !rule.Contains(" source ", StringComparison.Ordinal) && !rule.Contains(" destination ", StringComparison.Ordinal);

    private static IEnumerable<string> OpenedPorts(FirewalldState state, FirewalldZoneState zone) =>
        zone.Ports.Concat(zone.Services.SelectMany(s => state.ServicePorts.GetValueOrDefault(s) ?? []));

    /// <summary>"51820/udp" as the model's port; null for a range or another protocol (sctp).</summary>
    private static (Protocol, ushort)? Port(string text) =>
        text.Split('/') is [var number, var name] && ushort.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && ProtocolNames.TryParse(name, out var protocol) && protocol != Protocol.Icmp
            ? (protocol, port)
            : null;
}
