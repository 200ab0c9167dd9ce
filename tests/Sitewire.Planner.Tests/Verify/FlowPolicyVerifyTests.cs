using Sitewire.Planner.Model;
using Sitewire.Planner.Plan;
using Sitewire.Planner.Verify;

namespace Sitewire.Planner.Tests.Verify;

/// <summary>
/// `network.policy: flows` in verify's model: every allow flow holds (its replies by conntrack), every deny is stopped
/// by a node's forward filter — also one its destination would refuse anyway — and naming that node; a missing policy
/// rule breaks its flow there with the command that adds it.
/// </summary>
public sealed class FlowPolicyVerifyTests
{
    private static string Hub(string os, string policy) => $"""
        network:
          overlay: 10.99.0.0/24
          interface: wg0
          shape: hub
          policy: {policy}
        nodes:
          - name: relay
            role: relay
            os: {os}
            endpoint: 203.0.113.10:51820
            public_interface: eth0
          - name: alpha
            os: {os}
            behind_nat: true
            lan:
              interface: eth1
              address: 10.1.0.1/24
          - name: beta
            os: {os}
            behind_nat: true
            lan:
              interface: eth1
              address: 10.2.0.1/24
        hosts:
          - name: a1
            site: alpha
            address: 10.1.0.10
          - name: b1
            site: beta
            address: 10.2.0.20
            services: [80/tcp/http]
        flows:
          - from: a1
            to: b1:80/tcp
          - from: b1
            to: a1
          - from: a1
            to: b1:22/tcp
            expect: deny
        """;

    private static string Unmet(VerifyReport report) =>
        string.Join("; ", report.Findings.Select(f => f.ToString()).Concat(report.Flows.Where(f => !f.Met).Select(f => $"{f.Flow}: {f.Problem} / {f.Fix}")));

    [Fact]
    public void Every_allow_and_deny_of_the_policy_example_is_as_declared_and_every_deny_is_stopped_by_a_forward_filter()
    {
        var report = Verifier.Verify(TopologyFixtures.PlanFile(TopologyFixtures.Example("policy.yaml")));

        Assert.True(report.Passed, Unmet(report));
        var denies = report.Flows.Where(f => f.Flow.Expect == Sitewire.Config.Topology.FlowExpectation.Deny).ToList();
        Assert.True(denies.Count >= 6, $"{denies.Count} deny flows");
        Assert.All(denies, deny =>
        {
            var breakage = deny.Trace!.Breakage!;
            Assert.Equal(BreakKind.Filtered, breakage.Kind);
            Assert.Contains($"{breakage.Host} forward filter: the flow policy drops", breakage.Reason, StringComparison.Ordinal);
        });
        var refusedAnyway = Assert.Single(denies, f => f.Flow.ToString() == "phone -> nas:22/tcp (deny)");
        Assert.Equal("relay", refusedAnyway.BrokenAt);
        Assert.False(refusedAnyway.Trace!.RefusedByHost);
    }

    [Theory]
    [InlineData("ubuntu")]
    [InlineData("debian")]
    [InlineData("rocky")]
    [InlineData("rhel")]
    public void With_each_os_the_allows_hold_and_a_deny_the_host_would_refuse_is_dropped_at_the_relay(string os)
    {
        var report = TopologyFixtures.VerifyText(Hub(os, "flows"));

        Assert.True(report.Passed, Unmet(report));
        var deny = Assert.Single(report.Flows, f => f.Flow.To.Port == 22);
        Assert.Equal("relay", deny.BrokenAt);
        Assert.Contains("relay forward filter: the flow policy drops 10.1.0.10:40000 → 10.2.0.20:22/tcp forwarded wg0 → wg0: deny flow at test.yaml:37:5", deny.Trace!.Breakage!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_open_policy_lets_the_same_deny_through_to_the_host_and_names_the_drop_that_stops_it()
    {
        var report = TopologyFixtures.VerifyText(Hub("ubuntu", "open"));

        var deny = Assert.Single(report.Flows, f => !f.Met);
        Assert.Equal(22, deny.Flow.To.Port);
        Assert.Contains("which only refuses it", deny.Problem, StringComparison.Ordinal);
        Assert.StartsWith("drop it in the forward filter of alpha: iptables -I FORWARD -s 10.1.0.10/32 -d 10.2.0.20/32 -i eth1 -o wg0 -p tcp --dport 22 -j DROP", deny.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_policy_rule_breaks_its_flow_at_that_node_with_the_command_that_adds_it()
    {
        var plan = TopologyFixtures.PlanText(Hub("ubuntu", "flows"));
        var withoutRule = plan with
        {
            Nodes = [.. plan.Nodes.Select(node => node.Name != "beta" ? node : node with
            {
                Rules = node.Rules with
                {
                    Firewall = node.Rules.Firewall with
                    {
                        FlowPolicy = node.Rules.Firewall.FlowPolicy! with { Rules = [.. node.Rules.Firewall.FlowPolicy.Rules.Where(rule => rule.Port != 80)] },
                    },
                },
            })],
        };

        var report = Verifier.Verify(withoutRule);

        var broken = Assert.Single(report.Flows, f => !f.Met);
        Assert.Equal("a1 -> b1:80/tcp (allow)", broken.Flow.ToString());
        Assert.Equal("beta", broken.BrokenAt);
        Assert.Contains("the flow policy drops", broken.Problem, StringComparison.Ordinal);
        Assert.Contains("iptables -I sitewire-wg0 2 -s 10.1.0.10 -d 10.2.0.20 -p tcp --dport 80 -j ACCEPT", broken.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void The_policy_passes_replies_of_tracked_connections_only()
    {
        var alpha = ModelBuilder.Build(TopologyFixtures.PlanText(Hub("ubuntu", "flows"))).Find("alpha")!.Netfilter;
        var reply = new Packet(Protocol.Tcp, Address.Parse("10.2.0.20"), 80, Address.Parse("10.1.0.10"), FlowSimulator.EphemeralPort);

        Assert.Null(alpha.Check(Chain.Forward, "wg0", "eth1", reply, established: true));
        Assert.Contains("no allow flow matches it", alpha.Check(Chain.Forward, "wg0", "eth1", reply, established: false)!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_open_policy_plans_no_flow_filter()
    {
        var plan = TopologyFixtures.PlanText(Hub("ubuntu", "open"));

        Assert.All(plan.Nodes, node => Assert.Null(node.Rules.Firewall.FlowPolicy));
        Assert.Contains(new ForwardAccept("wg0", "eth1"), plan.NodeNamed("alpha").Rules.Firewall.ForwardAccepts);
    }
}
