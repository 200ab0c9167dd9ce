using Sitewire.Config.Topology;
using Sitewire.Planner.Layout;
using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Model;

public sealed partial class ModelBuilder
{
    /// <summary>What the default zone `public` opens for input on RHEL 9: services ssh, dhcpv6-client and cockpit.</summary>
    private static readonly (Protocol, ushort)[] PublicZoneServices = [(Protocol.Tcp, 22), (Protocol.Udp, 546), (Protocol.Tcp, 9090)];

    /// <summary>
    /// The node's packet filter: the rules a careful admin leaves on its OS family (<see cref="StartingRuleset"/>), then the
    /// plan's as its PostUp puts them (<see cref="PlannedRuleset"/>), all as values the doctor's evaluator walks, so verify
    /// proves them needed and sufficient; a client device runs no PostUp.
    /// Debian/Ubuntu (iptables): INPUT accepts; FORWARD policy DROP with established/related accepted (as ufw leaves it); the
    /// plan's forward accepts, UDP port, flow policy jump and drops are inserted before it.
    /// RHEL family (nftables): firewalld ≥ 1.0 runs (RHEL 9) with default zone `public`, which forwards within itself
    /// and opens ssh, dhcpv6-client and cockpit; the node's own interfaces are in it (NetworkManager adds them), the
    /// tunnel is in no zone; the plan's zone change moves the tunnel into the zone of its ZoneOfInterface (else the
    /// default zone), enables forwarding there and opens the UDP port. The ports flows name on the node itself are taken as
    /// opened in `public` by whoever runs those services. The plan's own table (drops, flow policy) is final where it drops;
    /// what it accepts is left to firewalld's zones.
    /// A node with `docker: true` starts with Docker's recorded IPv4 tables (FORWARD policy DROP, DOCKER-USER first), which the
    /// plan opens with its accepts in DOCKER-USER (`docker_user: true`).
    /// </summary>
    private void AddPlannedFirewall(Host host, NodePlan nodePlan, StartingFirewall baseline)
    {
        var node = nodePlan.Node;
        var starting = StartingRuleset.Of(baseline, node.Docker);
        var planned = node.Os.RunsHooks()
            ? PlannedRuleset.Of(nodePlan.Rules, _plan.Topology.Network.InterfaceName, nodePlan.Backend, NodeRulesPlanner.CarriesIpv6(_plan.Topology), starting)
            : PlannedRuleset.Unchanged(starting);
        host.Ruleset = planned.Ruleset;
        host.FlowPolicyRules = planned.FlowPolicyRules;
        if (baseline != StartingFirewall.Firewalld)
        {
            return;
        }
        var firewalld = new Firewalld();
        var publicZone = firewalld.Zone(firewalld.DefaultZone);
        publicZone.OpenPorts.UnionWith(PublicZoneServices);
        publicZone.OpenPorts.UnionWith(FlowPortsOn(nodePlan.Name));
        publicZone.Interfaces.UnionWith(host.Interfaces.Where(i => i is not WireGuardInterface).Select(i => i.Name));
        if (nodePlan.Rules.Firewall.Firewalld is { } change)
        {
            var zone = (change.ZoneOfInterface is { } of ? firewalld.AssignedZone(of) : null) ?? publicZone;
            firewalld.ChangeInterface(change.TunnelInterface, zone);
            zone.Forward = true;
            if (change.UdpPort is { } udp)
            {
                zone.OpenPorts.Add((Protocol.Udp, (ushort)udp));
            }
        }
        host.Firewalld = firewalld;
    }

    private IEnumerable<(Protocol, ushort)> FlowPortsOn(string nodeName) =>
        _plan.Topology.Flows
            .Where(flow => flow.To.Name == nodeName && flow.To.Port is not null)
            .Select(flow => (ProtocolNames.FromTopology(flow.To.Protocol), (ushort)flow.To.Port!.Value));
}
