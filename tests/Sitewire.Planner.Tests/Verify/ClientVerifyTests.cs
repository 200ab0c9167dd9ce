using Sitewire.Planner.Model;
using Sitewire.Planner.Verify;

namespace Sitewire.Planner.Tests.Verify;

/// <summary>
/// verify on clients (issue 18 item 2): a full tunnel's egress to a host on the Internet through the exit's masquerade,
/// a split tunnel's own way there, a route-only host with exactly its static routes, client devices without forwarding.
/// </summary>
public sealed class ClientVerifyTests
{
    private const string Design = """
        network:
          overlay: 10.210.0.0/24
          hub: relay
        nodes:
          - name: relay
            role: relay
            endpoint: 203.0.113.10:51820
            public_interface: eth0
            address: 10.210.0.254
          - name: office
            os: rocky
            behind_nat: true
            nat: routed
            lan:
              interface: ens33
              address: 10.20.0.1/24
          - name: phone
            role: client
            os: android
            address: 10.210.0.20
            route_all: true
          - name: tablet
            role: client
            os: ios
            address: 10.210.0.21
        hosts:
          - name: printer
            site: office
            address: 10.20.0.40
            gateway: route-only
            router: 10.20.0.254
            services: [631/tcp]
        flows:
          - from: phone
            to: 198.51.100.80:80/tcp
          - from: tablet
            to: 198.51.100.80:80/tcp
          - from: phone
            to: printer:631/tcp
          - from: printer
            to: phone
        """;

    private static FlowResult Flow(VerifyReport report, string text) =>
        Assert.Single(report.Flows, flow => flow.Flow.ToString() == text);

    [Fact]
    public void A_full_tunnel_reaches_the_internet_host_through_the_exit_masquerade_and_a_split_tunnel_goes_its_own_way()
    {
        var report = TopologyFixtures.VerifyText(Design);

        Assert.True(report.Passed, string.Join("; ", report.Findings.Select(f => f.ToString()).Concat(report.Flows.Where(f => !f.Met).Select(f => $"{f.Flow}: {f.Problem}"))));
        var full = Flow(report, "phone -> 198.51.100.80:80/tcp (allow)");
        Assert.Equal(["phone", "relay", "internet/host1"], full.ForwardHops.Select(hop => hop.Host));
        Assert.Contains("masquerade 10.210.0.20 → 203.0.113.10", full.ForwardHops[1].Decision, StringComparison.Ordinal);
        Assert.Equal("203.0.113.10", full.ForwardHops[2].Packet.Source.ToString());
        Assert.Equal(["internet/host1", "relay", "phone"], full.ReturnHops.Select(hop => hop.Host));
        var split = Flow(report, "tablet -> 198.51.100.80:80/tcp (allow)");
        Assert.Equal(["tablet", "internet/host1"], split.ForwardHops.Select(hop => hop.Host));
    }

    [Fact]
    public void Without_the_exit_masquerade_the_full_tunnel_breaks_at_the_internet_host_on_its_way_back()
    {
        var plan = TopologyFixtures.PlanText(Design);
        var relay = plan.Nodes.Single(n => n.Name == "relay");
        var broken = plan with { Nodes = [.. plan.Nodes.Select(n => n == relay ? n with { Rules = n.Rules with { Nat = [] } } : n)] };

        var full = Flow(Verifier.Verify(broken), "phone -> 198.51.100.80:80/tcp (allow)");

        Assert.False(full.Met);
        Assert.Equal("return", full.Trace!.BrokenDirection);
        Assert.Equal("internet/host1", full.BrokenAt);
    }

    [Fact]
    public void A_route_only_host_answers_and_opens_through_its_static_route_and_keeps_its_own_default_gateway()
    {
        var report = TopologyFixtures.VerifyText(Design);

        var reply = Flow(report, "phone -> printer:631/tcp (allow)");
        Assert.True(reply.Met, reply.Problem);
        Assert.Equal(["printer", "office", "relay", "phone"], reply.ReturnHops.Select(hop => hop.Host));
        Assert.Contains("route 10.210.0.0/24 via 10.20.0.1", reply.ReturnHops[0].Decision, StringComparison.Ordinal);
        Assert.True(Flow(report, "printer -> phone (allow)").Met);
        var printer = Sitewire.Planner.Layout.NetworkLayoutBuilder.Build(TopologyFixtures.PlanText(Design)).Host("printer");
        Assert.Equal(["0.0.0.0/0 via 10.20.0.254 dev eth0", "10.210.0.0/24 via 10.20.0.1 dev eth0"], printer.Routes.Select(route => route.ToString()));
    }

    [Fact]
    public void The_same_host_with_its_router_as_gateway_and_no_route_loses_the_replies_under_routed_nat()
    {
        var report = TopologyFixtures.VerifyText(Design.Replace("gateway: route-only", "gateway: router-without-route", StringComparison.Ordinal));

        var reply = Flow(report, "phone -> printer:631/tcp (allow)");
        Assert.False(reply.Met);
        Assert.Equal("return", reply.Trace!.BrokenDirection);
    }

    [Fact]
    public void Client_devices_forward_nothing_in_the_model()
    {
        var network = ModelBuilder.Build(TopologyFixtures.PlanText(Design));

        Assert.False(network.Find("phone")!.IpForward);
        Assert.False(network.Find("tablet")!.IpForward);
        Assert.True(network.Find("relay")!.IpForward);
    }
}
