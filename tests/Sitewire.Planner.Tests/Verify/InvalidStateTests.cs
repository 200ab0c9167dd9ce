using Sitewire.Planner.Model;

namespace Sitewire.Planner.Tests.Verify;

/// <summary>
/// Conntrack state INVALID (verify-vs-lab seed 778170400): a TCP reply (SYN-ACK, RST) or an ICMP reply on a node that
/// never saw its request opens no connection there; firewalld drops such packets before its zones, so a zone that
/// forwards within itself does not let them through. iptables nodes treat them by their rules (here the FORWARD policy
/// DROP); UDP replies are new packets on either. The other way round (verify-vs-lab seed 803308164): a node that forwards
/// a SYN whose SYN-ACK goes around it takes the client's next packets for INVALID, so the connection opens, then
/// carries nothing.
/// </summary>
public class InvalidStateTests
{
    [Theory]
    [InlineData("rocky", "tcp", "firewalld drops")]
    [InlineData("rocky", "icmp", "firewalld drops")]
    [InlineData("debian", "tcp", "FORWARD policy is DROP")]
    public void A_reply_through_a_node_its_request_went_around_is_dropped_there(string os, string protocol, string reason)
    {
        var report = TopologyFixtures.VerifyText(Topology(os, protocol == "icmp" ? "pc" : "pc:80/tcp"));

        var flow = Assert.Single(report.Flows);
        Assert.False(flow.Met);
        Assert.Equal("branch", flow.BrokenAt);
        Assert.Contains(reason, flow.Trace!.Breakage!.Reason, StringComparison.Ordinal);
        Assert.Equal(BreakKind.Filtered, flow.Trace.Breakage.Kind);
    }

    [Fact]
    public void The_invalid_drop_names_the_reply_and_the_way_to_route_it()
    {
        var breakage = TopologyFixtures.VerifyText(Topology("rocky", "pc:80/tcp")).Flows.Single().Trace!.Breakage!;

        Assert.Contains("as INVALID: a tcp reply whose request branch never saw (it went another way)", breakage.Reason, StringComparison.Ordinal);
        Assert.Contains("symmetric routing", breakage.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rocky", "printer:80/tcp", false)]
    [InlineData("rocky", "printer", true)]
    public void A_tcp_connection_whose_reply_goes_around_a_firewalld_node_opens_then_carries_nothing(string os, string target, bool holds)
    {
        var report = TopologyFixtures.VerifyText(Topology(os, target, from: "pc"));

        var flow = Assert.Single(report.Flows);
        Assert.Equal(holds, flow.Met);
        if (!holds)
        {
            Assert.Equal(("branch", "return"), (flow.BrokenAt, flow.Trace!.BrokenDirection));
            Assert.Contains("firewalld drops the packets of", flow.Trace.Breakage!.Reason, StringComparison.Ordinal);
            Assert.Contains("branch forwarded the SYN, but the SYN-ACK went another way", flow.Trace.Breakage.Reason, StringComparison.Ordinal);
            Assert.Contains("symmetric routing", flow.Trace.Breakage.Fix, StringComparison.Ordinal);
        }
    }

    private static string Topology(string os, string target, string from = "printer") => $"""
        network:
          overlay: 10.214.0.0/24
          shape: hub
          hub: relay
        nodes:
          - name: relay
            role: relay
            endpoint: 203.0.113.10:51820
          - name: branch
            role: site
            os: {os}
            behind_nat: true
            nat: routed
            lan:
              interface: eth1
              address: 10.5.0.1/24
              subnets:
                - 10.5.0.0/24
                - {"{"}prefix: 10.105.1.0/24, via: 10.5.0.7{"}"}
        hosts:
          - name: printer
            site: branch
            address: 10.105.1.11
            gateway: router-with-route
            router: 10.105.1.254
            services: [80/tcp]
          - name: pc
            site: branch
            address: 10.5.0.4
            gateway: node
            services: [80/tcp]
        flows:
          - from: {from}
            to: {target}
        """;
}
