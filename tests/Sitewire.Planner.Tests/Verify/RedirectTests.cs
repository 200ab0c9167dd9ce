using Sitewire.Planner.Model;
using Sitewire.Planner.Plan;
using Sitewire.Planner.Trace;

namespace Sitewire.Planner.Tests.Verify;

/// <summary>
/// ICMP redirects (verify-vs-lab seed 5314): a node that forwards a packet back out the LAN interface it came in on
/// would, by Linux's default, tell the sender to go to the next hop directly, around the node and its filter. The plan
/// turns that off on a site's LAN (all and the interface: Linux redirects when either is on), the model reads it from
/// the plan, and the trace says so where a packet leaves by the interface it came in on. The flow is a ping: a TCP
/// connection the same way would not hold on this RHEL node, whose reply goes around it (see InvalidStateTests).
/// </summary>
public class RedirectTests
{
    private const string Topology = """
        network:
          overlay: 10.212.0.0/24
          shape: hub
          hub: relay
        nodes:
          - name: relay
            role: relay
            endpoint: 203.0.113.10:51820
          - name: branch
            role: site
            os: rhel
            behind_nat: true
            lan:
              interface: eth0.100
              address: 10.5.0.1/24
              subnets:
                - 10.5.0.0/24
                - {prefix: 10.105.1.0/24, via: 10.5.0.7}
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
        flows:
          - from: pc
            to: printer
        """;

    [Fact]
    public void A_site_with_a_lan_sends_no_redirects_on_it_and_a_relay_keeps_the_default()
    {
        var plan = TopologyFixtures.PlanText(Topology);

        var branch = plan.Nodes.Single(n => n.Name == "branch").Rules.Sysctls;
        Assert.Contains(new SysctlSetting("net.ipv4.conf.all.send_redirects", "0"), branch);
        Assert.Contains(new SysctlSetting("net.ipv4.conf.eth0/100.send_redirects", "0"), branch);
        Assert.DoesNotContain(plan.Nodes.Single(n => n.Name == "relay").Rules.Sysctls, s => s.Name.Contains("redirects", StringComparison.Ordinal));
        Assert.Contains("sysctl -q -w net.ipv4.conf.eth0/100.send_redirects=0", plan.Nodes.Single(n => n.Name == "branch").Config.Interface.PostUp);
    }

    [Fact]
    public void A_packet_the_node_sends_back_out_its_lan_keeps_going_through_the_node()
    {
        var trace = Trace(TopologyFixtures.PlanText(Topology));

        Assert.True(trace.Holds, trace.Breakage?.Reason);
        var node = trace.Forward.Hops.Single(h => h.Host == "branch");
        Assert.Equal(("eth0.100", "eth0.100"), (node.InInterface, node.OutInterface));
        Assert.Contains("back out eth0.100 with send_redirects off: no ICMP redirect, the sender keeps sending through branch", node.Decision, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("net.ipv4.conf.all.send_redirects")]
    [InlineData("net.ipv4.conf.eth0/100.send_redirects")]
    public void Without_either_setting_the_trace_warns_of_the_redirect_around_the_nodes_filter(string dropped)
    {
        var planned = TopologyFixtures.PlanText(Topology);
        var plan = planned with { Nodes = [.. planned.Nodes.Select(n => n.Name == "branch" ? n with { Rules = n.Rules with { Sysctls = [.. n.Rules.Sysctls.Where(s => s.Name != dropped)] } } : n)] };

        var node = Trace(plan).Forward.Hops.Single(h => h.Host == "branch");

        Assert.Contains("back out eth0.100: Linux sends the sender an ICMP redirect to 10.5.0.7, and its next packets may go there directly, around branch's filter", node.Decision, StringComparison.Ordinal);
    }

    private static FlowTrace Trace(NetworkPlan plan)
    {
        var target = Tracer.ResolveTarget(plan.Topology, "pc", "printer", false, out var error) ?? throw new InvalidOperationException(error);
        return Tracer.Trace(plan, "pc", target, out error) ?? throw new InvalidOperationException(error);
    }
}
