using System.Globalization;
using Sitewire.Planner.Model;
using Sitewire.Host.Linux;

namespace Sitewire.Host.Live;

/// <summary>firewalld as `firewall-cmd` reported it, in the model's terms: zones with their interfaces, ports, forwarding and masquerade, and the ACCEPT policies.</summary>
internal static class LiveFirewalld
{
    public static Firewalld Of(FirewalldState state)
    {
        var firewalld = new Firewalld { DefaultZone = state.DefaultZone };
        foreach (var zoneState in state.Zones)
        {
            var zone = firewalld.Zone(zoneState.Name);
            zone.Forward = zoneState.Forward;
            zone.Masquerade = zoneState.Masquerade;
            zone.Interfaces.UnionWith(zoneState.Interfaces);
            zone.OpenPorts.UnionWith(zoneState.Ports.Select(Port).OfType<(Protocol, ushort)>());
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

    /// <summary>"51820/udp" as the model's port; a range or another protocol (sctp) is left out.</summary>
    private static (Protocol, ushort)? Port(string text) =>
        text.Split('/') is [var number, var name] && ushort.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && ProtocolNames.TryParse(name, out var protocol) && protocol != Protocol.Icmp
            ? (protocol, port)
            : null;
}
