using Sitewire.Config.Topology;
using Sitewire.Planner.Layout;
using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Model;

public sealed partial class ModelBuilder
{
    /// <summary>What the default zone `public` opens for input on RHEL 9: services ssh, dhcpv6-client and cockpit.</summary>
    private static readonly (Protocol, ushort)[] PublicZoneServices = [(Protocol.Tcp, 22), (Protocol.Udp, 546), (Protocol.Tcp, 9090)];

    /// <summary>
    /// The node's packet filter: the baseline a careful admin leaves on its OS family, then the openings the plan's
    /// PostUp adds, so verify proves them needed and sufficient.
    /// Debian/Ubuntu (iptables): INPUT accepts; FORWARD policy DROP with established/related accepted (as ufw and Docker
    /// leave it); the plan's forward accepts and UDP port are rules inserted before it.
    /// RHEL family (nftables): firewalld ≥ 1.0 runs (RHEL 9) with default zone `public`, which forwards within itself
    /// and opens ssh, dhcpv6-client and cockpit; the node's own interfaces are in it (NetworkManager adds them), the
    /// tunnel is in no zone; the plan's zone change moves the tunnel into the zone of its ZoneOfInterface (else the
    /// default zone), enables forwarding there and opens the UDP port (forward accepts are not rendered for nftables).
    /// The ports flows name on the node itself are taken as opened in `public` by whoever runs those services.
    /// The node's declared drop rules come before all of this (a drop in any nftables table is final), then the flow
    /// policy's rules (with iptables in a chain of their own FORWARD jumps to first, with nftables a chain whose drops are
    /// final and whose accepts leave the packet to firewalld).
    /// A node with `docker: true` runs Docker: its FORWARD (iptables) has policy DROP and lets the tunnel's traffic through only
    /// by the plan's accepts, in DOCKER-USER (with `docker_user: false`, on Debian/Ubuntu, in FORWARD above Docker's jump; on the
    /// RHEL family none, and firewalld's accept does not override Docker's table).
    /// </summary>
    private void AddPlannedFirewall(Host host, NodePlan nodePlan, StartingFirewall baseline)
    {
        var openings = nodePlan.Rules.Firewall;
        host.Firewall.Rules.AddRange(openings.Drops.Select(DropFilterRule));
        if (openings.FlowPolicy is { } policy)
        {
            host.Firewall.Rules.AddRange(FlowPolicyRules(policy));
        }
        host.Firewall.Docker = nodePlan.Node.Docker;
        if (nodePlan.Node.Docker && baseline != StartingFirewall.IptablesForwardDrop)
        {
            host.Firewall.ForwardPolicy = Verdict.Drop;
            if (openings.DockerUser)
            {
                host.Firewall.Rules.AddRange(openings.ForwardAccepts.Select(a => new FilterRule(Chain.Forward, Verdict.Accept, a.InInterface, a.OutInterface)));
            }
        }
        if (baseline == StartingFirewall.IptablesForwardDrop)
        {
            host.Firewall.ForwardPolicy = Verdict.Drop;
            host.Firewall.Rules.AddRange(openings.ForwardAccepts.Select(a => new FilterRule(Chain.Forward, Verdict.Accept, a.InInterface, a.OutInterface)));
            if (openings.OpenUdpPort is { } port)
            {
                host.Firewall.Rules.Add(new FilterRule(Chain.Input, Verdict.Accept, Protocol: Protocol.Udp, DestinationPort: (ushort)port));
            }
            return;
        }
        var firewalld = new Firewalld();
        var publicZone = firewalld.Zone(firewalld.DefaultZone);
        publicZone.OpenPorts.UnionWith(PublicZoneServices);
        publicZone.OpenPorts.UnionWith(FlowPortsOn(nodePlan.Name));
        publicZone.Interfaces.UnionWith(host.Interfaces.Where(i => i is not WireGuardInterface).Select(i => i.Name));
        if (openings.Firewalld is { } change)
        {
            var zone = (change.ZoneOfInterface is { } of ? firewalld.AssignedZone(of) : null) ?? publicZone;
            firewalld.ChangeInterface(change.TunnelInterface, zone);
            zone.Forward = true;
            if (change.UdpPort is { } udp)
            {
                zone.OpenPorts.Add((Protocol.Udp, (ushort)udp));
            }
        }
        host.Firewall.Firewalld = firewalld;
    }

    /// <summary>A declared drop rule as a model rule; it comes first, above the planned accepts, as rendered.</summary>
    private static FilterRule DropFilterRule(DropRule drop) =>
        new(drop.Chain == FilterChain.Forward ? Chain.Forward : Chain.Input, Verdict.Drop, drop.InInterface, drop.OutInterface,
            drop.Protocol is { } protocol ? ProtocolNames.FromTopology(protocol) : null, (ushort?)drop.Port,
            drop.Source is { } source ? Prefix.From(source) : null, drop.Destination is { } destination ? Prefix.From(destination) : null);

    /// <summary>The flow policy as model rules: one per source and destination of each rule, then the drop of the rest from the tunnel.</summary>
    private static IEnumerable<FilterRule> FlowPolicyRules(FlowFilter policy) =>
        policy.Rules.SelectMany(rule =>
                from source in rule.Sources
                from destination in rule.Destinations
                select new FilterRule(Chain.Forward, rule.Expect == FlowExpectation.Deny ? Verdict.Drop : Verdict.Accept, policy.TunnelInterface,
                    Protocol: ProtocolNames.FromTopology(rule.Protocol), DestinationPort: (ushort?)rule.Port, Source: Prefix.From(source), Destination: Prefix.From(destination),
                    NewOnly: true, Policy: rule.Expect == FlowExpectation.Deny ? rule : null))
            .Append(new FilterRule(Chain.Forward, Verdict.Drop, policy.TunnelInterface, NewOnly: true));

    private IEnumerable<(Protocol, ushort)> FlowPortsOn(string nodeName) =>
        _plan.Topology.Flows
            .Where(flow => flow.To.Name == nodeName && flow.To.Port is not null)
            .Select(flow => (ProtocolNames.FromTopology(flow.To.Protocol), (ushort)flow.To.Port!.Value));
}
