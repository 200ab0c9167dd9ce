using Sitewire.Planner.Verify;

namespace Sitewire.Planner.Tests.Verify;

/// <summary>One topology that triggers each finding and the same topology without the fault, which does not.</summary>
public class FindingTests
{
    private const string Base = """
        network:
          overlay: 10.99.0.0/24
          mtu: 1420
          persistent_keepalive: 25
          shape: hub
          hub: relay
        nodes:
          - name: relay
            role: relay
            os: rocky
            endpoint: 203.0.113.10:51820
            address: 10.99.0.1
          - name: alpha
            role: site
            behind_nat: true
            address: 10.99.0.2
            lan:
              interface: eth1
              address: 10.1.0.1/24
              subnets: [10.1.0.0/24]
            nat: masquerade
          - name: beta
            role: site
            os: rhel
            address: 10.99.0.3
            lan:
              interface: eth1
              address: 10.2.0.1/24
              subnets: [10.2.0.0/24]
            nat: masquerade
        hosts:
          - name: pc
            site: alpha
            address: 10.1.0.10
            gateway: node
          - name: web
            site: beta
            address: 10.2.0.20
            gateway: router-without-route
            router: 10.2.0.254
            services: [80/tcp]
        flows:
          - from: pc
            to: web:80/tcp
        """;

    private static string With(string old, string replacement)
    {
        Assert.Contains(old, Base, StringComparison.Ordinal);
        return Base.Replace(old, replacement, StringComparison.Ordinal);
    }

    private static IReadOnlyList<Finding> Findings(string yaml) => Verifier.Findings(TopologyFixtures.PlanText(yaml));

    private static void AssertOnlyIn(string code, string faulty)
    {
        Assert.DoesNotContain(Findings(Base), f => f.Code == code);
        Assert.Contains(Findings(faulty), f => f.Code == code);
    }

    [Fact]
    public void Base_topology_verifies_clean()
    {
        var report = TopologyFixtures.VerifyText(Base);

        Assert.Empty(report.Findings);
        Assert.True(report.Passed, string.Join("; ", report.Flows.Select(f => f.Problem)));
    }

    [Fact]
    public void Duplicate_overlay_address() =>
        AssertOnlyIn("duplicate-overlay-address", With("address: 10.99.0.3", "address: 10.99.0.2"));

    [Fact]
    public void Duplicate_public_key()
    {
        var key = Sitewire.Crypto.Key.GeneratePrivate().PublicKey().ToBase64();
        var faulty = With("    address: 10.99.0.2\n", $"    address: 10.99.0.2\n    public_key: {key}\n")
            .Replace("    address: 10.99.0.3\n", $"    address: 10.99.0.3\n    public_key: {key}\n", StringComparison.Ordinal);

        AssertOnlyIn("duplicate-public-key", faulty);
    }

    [Fact]
    public void Duplicate_endpoint() =>
        AssertOnlyIn("duplicate-endpoint", With("    os: rhel\n", "    os: rhel\n    endpoint: 203.0.113.10:51820\n"));

    [Fact]
    public void An_endpoint_port_other_than_the_listen_port_is_an_error_and_breaks_the_flows_through_it()
    {
        var faulty = With("endpoint: 203.0.113.10:51820", "endpoint: 203.0.113.10:51821");
        AssertOnlyIn("endpoint-port", faulty);

        var report = TopologyFixtures.VerifyText(faulty);
        var finding = Assert.Single(report.Findings, f => f.Code == "endpoint-port");
        Assert.Equal((Severity.Error, "nodes[0].endpoint"), (finding.Severity, finding.Field));
        var flow = Assert.Single(report.Flows);
        Assert.False(flow.Passes);
        Assert.Equal(("relay", "handshake-port-closed"), (flow.BrokenAt, flow.Trace!.Breakage!.Code));
        Assert.Contains("listens on UDP 51820 and nothing forwards 51821 to it", flow.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Behind_nat_the_endpoint_port_is_the_routers_forward_to_the_listen_port()
    {
        var forwarded = With("endpoint: 203.0.113.10:51820", "endpoint: 203.0.113.10:4500\n    behind_nat: true");

        var report = TopologyFixtures.VerifyText(forwarded);

        Assert.DoesNotContain(report.Findings, f => f.Code == "endpoint-port");
        Assert.True(Assert.Single(report.Flows).Passes, report.Flows[0].Problem);
    }

    [Fact]
    public void Overlay_overlapping_a_lan() =>
        AssertOnlyIn("overlay-overlaps-lan", With("subnets: [10.2.0.0/24]", "subnets: [10.2.0.0/24, 10.99.0.128/25]"));

    [Fact]
    public void Lan_subnets_overlapping_between_sites() =>
        AssertOnlyIn("lan-overlap", With("subnets: [10.2.0.0/24]", "subnets: [10.2.0.0/24, 10.1.0.0/24]"));

    /// <summary>
    /// Issue 16.4: HQ routes a 10.0.0.0/8 summary via its core router and a branch has 10.20.0.0/16. Longest-prefix
    /// match sends every flow the right way (in verify's walk as in the kernel), so it is a warning that explains
    /// longest match, not an error that says no node can route to both.
    /// </summary>
    [Fact]
    public void A_lan_inside_another_sites_summary_is_a_warning_and_its_flows_hold()
    {
        const string nested = """
            network:
              overlay: 192.168.200.0/24
              shape: hub
              hub: relay
            nodes:
              - name: relay
                role: relay
                os: debian
                endpoint: 203.0.113.10:51820
              - name: hq
                os: debian
                behind_nat: true
                nat: masquerade
                lan:
                  interface: eth1
                  address: 10.1.0.1/24
                  subnets: [10.1.0.0/24, {prefix: 10.0.0.0/8, via: 10.1.0.254}]
              - name: branch
                os: ubuntu
                behind_nat: true
                nat: masquerade
                lan:
                  interface: eth1
                  address: 10.20.0.1/16
            hosts:
              - name: erp
                site: hq
                address: 10.1.0.10
                services: [443/tcp]
              - name: desk
                site: branch
                address: 10.20.0.50
                services: [22/tcp]
            flows:
              - from: desk
                to: erp:443/tcp
              - from: erp
                to: desk:22/tcp
            """;

        var report = TopologyFixtures.VerifyText(nested);

        var finding = Assert.Single(report.Findings);
        Assert.Equal(("lan-nested", Severity.Warning, "branch"), (finding.Code, finding.Severity, finding.Node));
        Assert.Contains("10.20.0.0/16 lies inside hq's LAN 10.0.0.0/8: by longest-prefix match", finding.Message, StringComparison.Ordinal);
        Assert.All(report.Flows, flow => Assert.True(flow.Passes, flow.Problem));
        Assert.True(report.Passed);
    }

    /// <summary>
    /// Issue 16.10 and 16.11: a host listens on its declared services only, and a deny flow the host refuses (nothing
    /// listens) is not isolation: the network let it through. An allow flow to an undeclared port is refused too.
    /// </summary>
    [Fact]
    public void A_host_answers_on_its_declared_services_only_and_its_refusal_is_no_deny()
    {
        var denied = TopologyFixtures.VerifyText(With("    to: web:80/tcp", "    to: web:23/tcp\n    expect: deny"));
        var allowed = TopologyFixtures.VerifyText(With("    to: web:80/tcp", "    to: web:23/tcp"));

        var deny = Assert.Single(denied.Flows);
        Assert.True(deny.Trace!.RefusedByHost);
        Assert.False(deny.Met);
        Assert.Contains("the network lets pc through to web, which only refuses it (web offers no service on 23/tcp)", deny.Problem, StringComparison.Ordinal);
        Assert.Equal(["web", "beta", "relay", "alpha", "pc"], deny.Trace.Refusal!.Hops.Select(h => h.Host));
        var allow = Assert.Single(allowed.Flows);
        Assert.False(allow.Met);
        Assert.Equal(("web", Sitewire.Planner.Model.BreakKind.ServiceNotOffered), (allow.BrokenAt, allow.Trace!.Breakage!.Kind));
        var stopped = TopologyFixtures.VerifyText(With("    to: web:80/tcp", "    to: 10.2.0.99:23/tcp\n    expect: deny"));
        Assert.True(Assert.Single(stopped.Flows).Met, stopped.Flows[0].Problem);
    }

    [Theory]
    [InlineData("10.2.0.254", "a LAN router")]
    [InlineData("10.2.0.1", "beta's LAN interface (eth1)")]
    [InlineData("10.2.0.20", "host web")]
    public void A_lan_host_with_an_address_something_else_on_its_lan_has(string address, string holder)
    {
        var faulty = With("flows:\n", $"  - name: nas\n    site: beta\n    address: {address}\n    gateway: router-with-route\n    router: 10.2.0.253\nflows:\n");

        AssertOnlyIn("duplicate-lan-address", faulty);
        var finding = Assert.Single(Findings(faulty), f => f.Code == "duplicate-lan-address");
        Assert.Equal(("beta", "hosts[2].address", Severity.Error), (finding.Node, finding.Field, finding.Severity));
        Assert.Contains($"nas's address {address} is held also by {holder} on beta's LAN", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Same_prefix_in_two_peers_on_one_node()
    {
        var faulty = With("subnets: [10.2.0.0/24]", "subnets: [10.2.0.0/24, 10.1.0.0/24]");

        AssertOnlyIn("allowed-ips-overlap", faulty);
        Assert.Contains(Findings(faulty), f => f.Code == "allowed-ips-overlap" && f.Node == "relay" && f.Message.Contains("10.1.0.0/24", StringComparison.Ordinal));
    }

    [Fact]
    public void Pair_that_no_side_can_initiate()
    {
        var plan = TopologyFixtures.PlanText(Base);
        var withoutEndpoints = plan with
        {
            Nodes = [.. plan.Nodes.Select(n => n with { Config = n.Config with { Peers = [.. n.Config.Peers.Select(p => p with { Endpoint = null })] } })],
        };

        Assert.DoesNotContain(Verifier.Findings(plan), f => f.Code == "no-initiator");
        Assert.Equal(2, Verifier.Findings(withoutEndpoints).Count(f => f.Code == "no-initiator"));
    }

    [Fact]
    public void Node_behind_nat_without_keepalive() =>
        AssertOnlyIn("nat-without-keepalive", With("persistent_keepalive: 25", "persistent_keepalive: 0"));

    [Fact]
    public void Mtu_above_the_path_budget()
    {
        AssertOnlyIn("mtu-budget", With("mtu: 1420", "mtu: 1460"));
        Assert.DoesNotContain(Findings(With("mtu: 1420", "mtu: 1440")), f => f.Code == "mtu-budget");
        Assert.Contains(Findings(With("mtu: 1420", "mtu: 1440").Replace("203.0.113.10:51820", "relay.example.net:51820", StringComparison.Ordinal)),
            f => f is { Code: "mtu-budget", Severity: Severity.Warning });
    }

    [Fact]
    public void Mtu_above_a_pppoe_uplink_of_one_node_is_charged_to_that_node_and_its_links()
    {
        var pppoe = With("    behind_nat: true\n    address: 10.99.0.2", "    behind_nat: true\n    uplink_mtu: 1460\n    address: 10.99.0.2");

        var findings = Findings(pppoe).Where(f => f.Code == "mtu-budget").ToList();

        Assert.Equal(["alpha", "relay"], findings.Select(f => f.Node).Order(StringComparer.Ordinal));
        Assert.All(findings, f => Assert.Equal("nodes[1].uplink_mtu", f.Field));
        var relay = findings.Single(f => f.Node == "relay");
        Assert.Contains("exceeds the path MTU 1460 (alpha's uplink_mtu) towards alpha", relay.Message, StringComparison.Ordinal);
        Assert.Equal("set network.mtu to 1400 or less", relay.Fix);
        Assert.DoesNotContain(Findings(pppoe.Replace("mtu: 1420", "mtu: 1400", StringComparison.Ordinal)), f => f.Code == "mtu-budget");
        Assert.DoesNotContain(Findings(With("    behind_nat: true\n    address: 10.99.0.2", "    behind_nat: true\n    uplink_mtu: 1492\n    address: 10.99.0.2")), f => f.Code == "mtu-budget");
    }

    [Fact]
    public void Routed_site_without_route_back_on_the_lan() =>
        AssertOnlyIn("routed-without-route-back", With("      subnets: [10.2.0.0/24]\n    nat: masquerade", "      subnets: [10.2.0.0/24]\n    nat: routed"));

    [Fact]
    public void Lan_host_whose_gateway_knows_no_way_to_the_tunnel() =>
        AssertOnlyIn("gateway-without-tunnel-route", With("    address: 10.1.0.10\n    gateway: node", "    address: 10.1.0.10\n    gateway: router-without-route"));

    [Fact]
    public void Findings_carry_field_location_and_fix()
    {
        var finding = Findings(With("address: 10.99.0.3", "address: 10.99.0.2")).Single(f => f.Code == "duplicate-overlay-address");

        Assert.Equal("nodes[2].address", finding.Field);
        Assert.Equal("test.yaml", finding.Location!.File);
        Assert.True(finding.Location.Line > 1);
        Assert.NotEmpty(finding.Fix);
    }

    [Fact]
    public void Report_fails_on_an_error_finding_even_when_flows_hold()
    {
        var report = TopologyFixtures.VerifyText(With("    os: rhel\n", "    os: rhel\n    endpoint: 203.0.113.10:51820\n"));

        Assert.False(report.Passed);
    }

    [Fact]
    public void Warnings_alone_do_not_fail_the_report()
    {
        var report = TopologyFixtures.VerifyText(With("mtu: 1420", "mtu: 1440").Replace("203.0.113.10:51820", "relay.example.net:51820", StringComparison.Ordinal));

        Assert.NotEmpty(report.Findings);
        Assert.All(report.Findings, f => Assert.Equal(Severity.Warning, f.Severity));
        Assert.True(report.Passed, string.Join("; ", report.Flows.Select(f => f.Problem)));
    }
}
