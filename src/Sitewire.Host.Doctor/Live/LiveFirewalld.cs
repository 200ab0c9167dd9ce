using System.Globalization;
using Sitewire.Planner.Model;
using Sitewire.Host.Linux;

namespace Sitewire.Host.Live;

/// <summary>
/// firewalld as `firewall-cmd` reported it, in the model's terms: zones with their target, interfaces, ports (their own and
/// their services'), forwarding and masquerade, and the ACCEPT policies. What of an active zone the model does not judge
/// (bound sources, rich rules, a service whose ports were not read, a port range, an unknown target) is named by
/// <see cref="NotModelled"/>, so it stays visible rather than silently accepted or dropped.
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
        }
    }

    private static IEnumerable<string> OpenedPorts(FirewalldState state, FirewalldZoneState zone) =>
        zone.Ports.Concat(zone.Services.SelectMany(s => state.ServicePorts.GetValueOrDefault(s) ?? []));

    /// <summary>"51820/udp" as the model's port; null for a range or another protocol (sctp).</summary>
    private static (Protocol, ushort)? Port(string text) =>
        text.Split('/') is [var number, var name] && ushort.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && ProtocolNames.TryParse(name, out var protocol) && protocol != Protocol.Icmp
            ? (protocol, port)
            : null;
}
