using Sitewire.Planner.Verify;

namespace Sitewire.Planner.Tests.Verify;

/// <summary>
/// LAN routers as the lab builds them (checked against `sitewire lab` on this topology: 6 of 6 flows agree): one per
/// LAN-side address; only a router-with-route host's router routes back to the node.
/// </summary>
public class RouterLayoutTests
{
    private const string Topology = """
        network:
          overlay: 10.99.0.0/24
          persistent_keepalive: 25
          shape: mesh
          hub: relay
        nodes:
          - name: relay
            role: relay
            os: rocky
            endpoint: 203.0.113.10:51820
          - name: alpha
            role: site
            behind_nat: true
            lan:
              interface: eth1
              address: 10.1.0.1/24
              subnets: [10.1.0.0/24]
            nat: routed
          - name: beta
            role: site
            os: rhel
            endpoint: 198.51.100.2:51820
            lan:
              interface: eth1
              address: 10.2.0.1/24
              subnets: [10.2.0.0/24, {prefix: 10.3.0.0/24, via: 10.2.0.254}]
            nat: masquerade
          - name: gamma
            role: site
            behind_nat: true
            lan:
              interface: eth1
              address: 10.4.0.1/24
              subnets: [10.4.0.0/24]
            nat: masquerade
        hosts:
          - name: a1
            site: alpha
            address: 10.1.0.10
            gateway: router-with-route
            router: 10.1.0.254
            services: [80/tcp]
          - name: a2
            site: alpha
            address: 10.1.0.11
            gateway: router-without-route
            router: 10.1.0.253
            services: [22/tcp]
          - name: b1
            site: beta
            address: 10.3.0.20
            gateway: router-without-route
            router: 10.3.0.254
            services: [80/tcp]
          - name: g1
            site: gamma
            address: 10.4.0.30
            gateway: node
            services: [80/tcp, 443/tcp]
        flows:
          - from: a1
            to: b1:80/tcp
          - from: g1
            to: a2:22/tcp
          - from: a2
            to: g1:80/tcp
          - from: g1
            to: a1:80/tcp
          - from: b1
            to: g1:443/tcp
          - from: g1
            to: b1:80/tcp
        """;

    private static FlowResult Flow(VerifyReport report, string from, string to) =>
        report.Flows.Single(f => f.Flow.From == from && f.Flow.To.Name == to);

    [Fact]
    public void Two_routers_on_one_routed_lan_only_the_one_with_routes_carries_replies()
    {
        var report = TopologyFixtures.VerifyText(Topology);

        Assert.True(Flow(report, "g1", "a1").Passes);
        var withoutRoute = Flow(report, "g1", "a2");
        Assert.False(withoutRoute.Passes);
        Assert.Equal("return", withoutRoute.Trace!.BrokenDirection);
        Assert.Equal("alpha/router2", withoutRoute.BrokenAt);
        Assert.False(Flow(report, "a2", "g1").Passes);
    }

    [Fact]
    public void Routed_subnet_behind_a_via_router_is_reached_through_it()
    {
        var report = TopologyFixtures.VerifyText(Topology);

        var toB1 = Flow(report, "g1", "b1");
        Assert.True(toB1.Passes, toB1.Problem);
        Assert.Contains(toB1.ForwardHops, h => h.Host == "beta/router");
        var fromB1 = Flow(report, "b1", "g1");
        Assert.Equal("beta/router", fromB1.BrokenAt);
        Assert.DoesNotContain("203.0.113", fromB1.Fix, StringComparison.Ordinal);
    }
}
