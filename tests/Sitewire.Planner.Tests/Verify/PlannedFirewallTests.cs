using Sitewire.Planner.Model;
using Sitewire.Planner.Plan;
using Sitewire.Planner.Verify;

namespace Sitewire.Planner.Tests.Verify;

/// <summary>
/// The plan's firewall openings inside verify's model: each OS family's restrictive baseline lets the planned flows
/// through only with every opening in place, and a missing one breaks a flow at that node's filter, naming the fix.
/// </summary>
public class PlannedFirewallTests
{
    private const string Tunnel = "wg0";
    private const string Lan = "eth1";

    /// <summary>A hub: a relay with an endpoint, two NATed sites whose LAN hosts use the node as gateway.</summary>
    private static string Hub(string os) => $"""
        network:
          overlay: 10.99.0.0/24
          listen_port: 51820
          persistent_keepalive: 25
          interface: {Tunnel}
          shape: hub
          hub: relay
        nodes:
          - name: relay
            role: relay
            os: {os}
            endpoint: 203.0.113.10:51820
            public_interface: eth0
          - name: alpha
            role: site
            os: {os}
            behind_nat: true
            lan:
              interface: {Lan}
              address: 10.1.0.1/24
              subnets: [10.1.0.0/24]
            nat: masquerade
          - name: beta
            role: site
            os: {os}
            behind_nat: true
            lan:
              interface: {Lan}
              address: 10.2.0.1/24
              subnets: [10.2.0.0/24]
            nat: masquerade
        hosts:
          - name: a1
            site: alpha
            address: 10.1.0.10
            gateway: node
          - name: b1
            site: beta
            address: 10.2.0.20
            gateway: node
            services: [80/tcp/http]
        flows:
          - from: a1
            to: b1:80/tcp
          - from: b1
            to: a1
          - from: a1
            to: beta:8080/tcp
        """;

    private static FlowResult AlphaToBeta(VerifyReport report) => report.Flows.Single(f => f.Flow.From == "a1" && f.Flow.To.Name == "b1");

    private static FlowResult BetaToAlpha(VerifyReport report) => report.Flows.Single(f => f.Flow.From == "b1");

    private static NetworkPlan WithFirewall(NetworkPlan plan, string node, Func<FirewallPlan, FirewallPlan> change) =>
        plan with
        {
            Nodes = [.. plan.Nodes.Select(n => n.Name == node ? n with { Rules = n.Rules with { Firewall = change(n.Rules.Firewall) } } : n)],
        };

    private static NetworkPlan WithoutForwardAccept(NetworkPlan plan, string node, string inInterface, string outInterface) =>
        WithFirewall(plan, node, firewall =>
        {
            Assert.Contains(new ForwardAccept(inInterface, outInterface), firewall.ForwardAccepts);
            return firewall with { ForwardAccepts = [.. firewall.ForwardAccepts.Where(a => a != new ForwardAccept(inInterface, outInterface))] };
        });

    private static NetworkPlan WithoutZoneChange(NetworkPlan plan, string node) =>
        WithFirewall(plan, node, firewall =>
        {
            Assert.NotNull(firewall.Firewalld);
            return firewall with { Firewalld = null };
        });

    private static void AssertFilteredAt(FlowResult flow, string node, string direction, string inInterface, string outInterface)
    {
        Assert.False(flow.Met);
        var breakage = flow.Trace!.Breakage!;
        Assert.Equal(BreakKind.Filtered, breakage.Kind);
        Assert.Equal(node, breakage.Host);
        Assert.Equal(direction, flow.Trace.BrokenDirection);
        Assert.Contains($"{inInterface} → {outInterface}", flow.Problem, StringComparison.Ordinal);
        Assert.Contains(inInterface, flow.Fix, StringComparison.Ordinal);
        Assert.Contains(outInterface, flow.Fix, StringComparison.Ordinal);
    }

    private static Packet Tcp(ushort port) =>
        new(Protocol.Tcp, Address.Parse("10.1.0.10"), FlowSimulator.EphemeralPort, Address.Parse("10.2.0.10"), port);

    [Theory]
    [InlineData("ubuntu")]
    [InlineData("debian")]
    [InlineData("rocky")]
    [InlineData("rhel")]
    [InlineData("alma")]
    [InlineData("fedora")]
    public void Every_flow_holds_with_the_planned_openings(string os)
    {
        var report = Verifier.Verify(TopologyFixtures.PlanText(Hub(os)));

        Assert.True(report.Passed, string.Join("; ", report.Findings.Select(f => f.ToString()).Concat(report.Flows.Where(f => !f.Met).Select(f => $"{f.Flow}: {f.Problem}"))));
    }

    [Theory]
    [InlineData("ubuntu")]
    [InlineData("debian")]
    public void Iptables_nodes_start_with_forward_policy_drop_and_the_planned_accepts_before_it(string os)
    {
        var host = ModelBuilder.Build(TopologyFixtures.PlanText(Hub(os))).Find("alpha")!;
        var alpha = host.Netfilter;

        Assert.Equal("drop", host.Ruleset.Chain("ip", "filter", "FORWARD")!.Policy);
        Assert.Equal("accept", host.Ruleset.Chain("ip", "filter", "INPUT")!.Policy);
        Assert.Null(host.Firewalld);
        Assert.Null(alpha.Check(Chain.Forward, Lan, Tunnel, Tcp(80), established: false));
        Assert.Null(alpha.Check(Chain.Forward, Tunnel, Lan, Tcp(80), established: false));
        Assert.Null(alpha.Check(Chain.Forward, "eth0", Lan, Tcp(80), established: true));
        var unplanned = alpha.Check(Chain.Forward, "eth0", Lan, Tcp(80), established: false)!;
        Assert.Contains("FORWARD policy is DROP", unplanned.Reason, StringComparison.Ordinal);
        Assert.Equal("iptables -I FORWARD -i eth0 -o eth1 -j ACCEPT", unplanned.Fix);
    }

    [Theory]
    [InlineData("rocky")]
    [InlineData("rhel")]
    public void Firewalld_nodes_start_with_their_interfaces_in_public_and_the_tunnel_joins_it(string os)
    {
        var network = ModelBuilder.Build(TopologyFixtures.PlanText(Hub(os)));
        var alpha = network.Find("alpha")!.Firewalld!;
        var relay = network.Find("relay")!.Firewalld!;

        var zone = Assert.Single(alpha.Zones);
        Assert.Equal("public", zone.Name);
        Assert.True(zone.Forward);
        Assert.Equal(["eth0", Lan, Tunnel], zone.Interfaces.Order(StringComparer.Ordinal)); // the uplink beside the LAN, as on the host (issue 16.2)
        Assert.Contains((Protocol.Tcp, (ushort)22), zone.OpenPorts);
        Assert.Equal(["eth0", Tunnel], relay.ZoneOf(Tunnel).Interfaces.Order(StringComparer.Ordinal));
        Assert.Contains((Protocol.Udp, (ushort)51820), relay.ZoneOf(Tunnel).OpenPorts);
    }

    [Fact]
    public void Firewalld_opens_the_ports_flows_name_on_the_node_and_nothing_else()
    {
        var beta = ModelBuilder.Build(TopologyFixtures.PlanText(Hub("rocky"))).Find("beta")!.Netfilter;

        Assert.Null(beta.Check(Chain.Input, Tunnel, null, Tcp(8080), established: false));
        var closed = beta.Check(Chain.Input, Tunnel, null, Tcp(8443), established: false)!;
        Assert.Equal("firewalld zone 'public' of wg0 does not open 8443/tcp", closed.Reason);
        Assert.Equal("firewall-cmd --zone=public --add-port=8443/tcp", closed.Fix);
    }

    [Theory]
    [InlineData("ubuntu")]
    [InlineData("debian")]
    public void Without_the_lan_to_tunnel_accept_the_request_is_dropped_at_the_site(string os)
    {
        var plan = WithoutForwardAccept(TopologyFixtures.PlanText(Hub(os)), "alpha", Lan, Tunnel);

        var report = Verifier.Verify(plan);

        AssertFilteredAt(AlphaToBeta(report), "alpha", "forward", Lan, Tunnel);
        Assert.Contains("FORWARD policy is DROP", AlphaToBeta(report).Problem, StringComparison.Ordinal);
        Assert.True(BetaToAlpha(report).Met, "tunnel → LAN is still accepted, and replies pass as established");
    }

    [Fact]
    public void Without_the_tunnel_to_lan_accept_the_request_is_dropped_at_the_far_site()
    {
        var report = Verifier.Verify(WithoutForwardAccept(TopologyFixtures.PlanText(Hub("ubuntu")), "beta", Tunnel, Lan));

        AssertFilteredAt(AlphaToBeta(report), "beta", "forward", Tunnel, Lan);
    }

    [Fact]
    public void Without_the_relay_tunnel_to_tunnel_accept_a_hub_flow_is_dropped_at_the_relay()
    {
        var report = Verifier.Verify(WithoutForwardAccept(TopologyFixtures.PlanText(Hub("ubuntu")), "relay", Tunnel, Tunnel));

        AssertFilteredAt(AlphaToBeta(report), "relay", "forward", Tunnel, Tunnel);
        AssertFilteredAt(BetaToAlpha(report), "relay", "forward", Tunnel, Tunnel);
    }

    [Theory]
    [InlineData("rocky")]
    [InlineData("rhel")]
    public void Without_the_zone_change_firewalld_drops_lan_to_tunnel_at_the_site(string os)
    {
        var report = Verifier.Verify(WithoutZoneChange(TopologyFixtures.PlanText(Hub(os)), "alpha"));

        AssertFilteredAt(AlphaToBeta(report), "alpha", "forward", Lan, Tunnel);
        Assert.Contains("wg0 is in no firewalld zone", AlphaToBeta(report).Problem, StringComparison.Ordinal);
        Assert.True(BetaToAlpha(report).Met, "tunnel → LAN reaches eth1, which is in the zone the unzoned tunnel falls into");
    }

    [Fact]
    public void Without_the_zone_change_firewalld_on_the_relay_drops_the_handshake_to_its_listen_port()
    {
        var report = Verifier.Verify(WithoutZoneChange(TopologyFixtures.PlanText(Hub("rocky")), "relay"));

        var flow = AlphaToBeta(report);
        Assert.Equal(BreakKind.Filtered, flow.Trace!.Breakage!.Kind);
        Assert.Equal("relay", flow.Trace.Breakage.Host);
        Assert.Contains("relay input filter drops the WireGuard handshake from alpha on eth0", flow.Problem, StringComparison.Ordinal);
        Assert.Contains("firewall-cmd --zone=public --add-port=51820/udp", flow.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void With_the_port_open_but_the_tunnel_in_no_zone_firewalld_on_the_relay_drops_the_hub_flow_between_peers()
    {
        var plan = WithFirewall(TopologyFixtures.PlanText(Hub("rocky")), "relay", firewall => firewall with
        {
            Firewalld = firewall.Firewalld! with { TunnelInterface = "unused0" },
        });

        AssertFilteredAt(AlphaToBeta(Verifier.Verify(plan)), "relay", "forward", Tunnel, Tunnel);
    }

    [Fact]
    public void Firewalld_fixes_name_the_zone_command()
    {
        var host = ModelBuilder.Build(WithoutZoneChange(TopologyFixtures.PlanText(Hub("rocky")), "alpha")).Find("alpha")!;
        var alpha = host.Netfilter;

        var drop = alpha.Check(Chain.Forward, Lan, Tunnel, Tcp(80), established: false)!;

        Assert.Equal("firewall-cmd --zone=public --change-interface=wg0 (forwarding eth1 → wg0)", drop.Fix);
        host.Firewalld!.Zone("public").Forward = false;
        Assert.StartsWith("firewall-cmd --zone=public --add-forward", alpha.Check(Chain.Forward, Tunnel, Lan, Tcp(80), established: false)!.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Firewalld_forwards_across_zones_only_along_a_policy_and_names_it()
    {
        var firewalld = new Firewalld();
        firewalld.Zone("internal").Interfaces.Add(Lan);
        firewalld.Zone("public").Interfaces.Add(Tunnel);
        var drop = firewalld.Check(Chain.Forward, Lan, Tunnel, Tcp(80))!;

        Assert.Equal("firewalld forwards nothing from zone 'internal' (eth1) to zone 'public' (wg0)", drop.Reason);
        Assert.Contains("firewall-cmd --zone=internal --change-interface=wg0", drop.Fix, StringComparison.Ordinal);
        Assert.Contains("--policy=internal-to-public --add-ingress-zone=internal --add-egress-zone=public --set-target=ACCEPT", drop.Fix, StringComparison.Ordinal);
        firewalld.ForwardPolicies.Add(("internal", "public"));
        Assert.Null(firewalld.Check(Chain.Forward, Lan, Tunnel, Tcp(80)));
        Assert.NotNull(firewalld.Check(Chain.Forward, Tunnel, Lan, Tcp(80)));
    }

    /// <summary>firewalld ≥ 1.0's zone targets, as its nft chains end: ACCEPT takes whatever enters by the zone, forwarded or not; DROP and REJECT refuse ICMP too.</summary>
    [Fact]
    public void A_zone_target_decides_what_enters_by_the_zone_and_nothing_in_it_accepted()
    {
        var firewalld = new Firewalld();
        firewalld.Zone("public").Interfaces.Add(Lan);
        var trusted = firewalld.Zone("trusted");
        trusted.Interfaces.Add(Tunnel);
        trusted.Target = FirewalldTarget.Accept;

        Assert.Null(firewalld.Check(Chain.Forward, Tunnel, Lan, Tcp(80)));
        Assert.Null(firewalld.Check(Chain.Input, Tunnel, null, Tcp(5000)));
        Assert.Equal("firewalld zone 'trusted' of wg0 (target ACCEPT)", firewalld.Accepting(Chain.Forward, Tunnel, Lan, Tcp(80)));
        Assert.Equal("firewalld forwards nothing from zone 'public' (eth1) to zone 'trusted' (wg0)", firewalld.Check(Chain.Forward, Lan, Tunnel, Tcp(80))!.Reason);

        trusted.Target = FirewalldTarget.Drop;
        trusted.OpenPorts.Add((Protocol.Tcp, 5000));
        Assert.Null(firewalld.Check(Chain.Input, Tunnel, null, Tcp(5000)));
        var icmp = firewalld.Check(Chain.Input, Tunnel, null, Tcp(5000) with { Protocol = Protocol.Icmp })!;
        Assert.Equal("firewalld zone 'trusted' of wg0 (target DROP) refuses ICMP", icmp.Reason);
        Assert.Equal("firewall-cmd --permanent --zone=trusted --set-target=default && firewall-cmd --reload", icmp.Fix);
        Assert.NotNull(firewalld.Check(Chain.Forward, Tunnel, Lan, Tcp(80)));
    }

    /// <summary>A zone's ICMP blocks refuse the ping into the node (firewalld ≥ 0.9 applies them to input only); inverted, only the listed types enter.</summary>
    [Fact]
    public void Icmp_blocks_refuse_the_ping_into_the_node_and_not_what_it_forwards()
    {
        var firewalld = new Firewalld();
        var zone = firewalld.Zone("public");
        zone.Interfaces.UnionWith([Lan, Tunnel]);
        var ping = Tcp(80) with { Protocol = Protocol.Icmp };
        Assert.Null(firewalld.Check(Chain.Input, Tunnel, null, ping));

        zone.IcmpBlocks.Add("echo-request");
        var blocked = firewalld.Check(Chain.Input, Tunnel, null, ping)!;
        Assert.Equal("firewalld zone 'public' of wg0 blocks ICMP echo-request: it refuses the ping", blocked.Reason);
        Assert.Equal("firewall-cmd --zone=public --remove-icmp-block=echo-request", blocked.Fix);
        Assert.Null(firewalld.Check(Chain.Forward, Tunnel, Lan, ping));

        zone.IcmpBlockInversion = true;
        Assert.Null(firewalld.Check(Chain.Input, Tunnel, null, ping));
        zone.IcmpBlocks.Clear();
        zone.IcmpBlocks.Add("timestamp-request");
        var inverted = firewalld.Check(Chain.Input, Tunnel, null, ping)!;
        Assert.Equal("firewalld zone 'public' of wg0 inverts its ICMP blocks and does not list echo-request: it refuses the ping", inverted.Reason);
        Assert.StartsWith("firewall-cmd --zone=public --add-icmp-block=echo-request", inverted.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("default", FirewalldTarget.Default)]
    [InlineData("ACCEPT", FirewalldTarget.Accept)]
    [InlineData("DROP", FirewalldTarget.Drop)]
    [InlineData("%%REJECT%%", FirewalldTarget.Reject)]
    public void Targets_read_as_firewall_cmd_prints_them(string printed, FirewalldTarget target)
    {
        Assert.True(Firewalld.TryParseTarget(printed, out var read));
        Assert.Equal(target, read);
        Assert.Equal(printed, Firewalld.TargetName(target));
        Assert.False(Firewalld.TryParseTarget("accept", out _));
    }

    [Fact]
    public void Forward_accepts_are_not_applied_on_nftables_nodes_where_the_plan_renders_none()
    {
        var plan = TopologyFixtures.PlanText(Hub("rocky"));
        var withoutAccepts = WithFirewall(plan, "alpha", firewall => firewall with { ForwardAccepts = [] });

        Assert.True(Verifier.Verify(withoutAccepts).Passed);
    }
}
