using Sitewire.Config.Topology;
using Sitewire.Planner.Model;
using Sitewire.Planner.Plan;
using Sitewire.Planner.Trace;
using Sitewire.Planner.Verify;

namespace Sitewire.Planner.Tests.Verify;

/// <summary>IPv6 flows traced through the model like IPv4 ones: examples/dualstack.yaml and faults injected into its plan.</summary>
public class DualStackVerifyTests
{
    private static readonly NetworkPlan DualStack = TopologyFixtures.PlanFile(TopologyFixtures.Example("dualstack.yaml"));

    private static FlowTrace Trace(NetworkPlan plan, string from, string to, bool ipv6 = true)
    {
        var target = Tracer.ResolveTarget(plan.Topology, from, to, ipv6, out var error) ?? throw new InvalidOperationException(error);
        return Tracer.Trace(plan, from, target, out error) ?? throw new InvalidOperationException(error);
    }

    /// <summary>
    /// Issue 16.3: a node with an IPv6 LAN address but no IPv6 address on its tunnel (no overlay_v6) sends to an IPv6 host
    /// across it. Linux picks the node's global LAN address (RFC 6724: no candidate on the outgoing interface, so one of
    /// another interface), and the flow works; verify said "no IPv6 address on wg0 to send from".
    /// </summary>
    [Fact]
    public void A_node_without_an_ipv6_tunnel_address_sends_from_its_ipv6_lan_address()
    {
        const string yaml = """
            network:
              overlay: 10.99.0.0/24
              shape: hub
              hub: relay
              interface: wg0
            nodes:
              - name: relay
                role: relay
                os: debian
                endpoint: 203.0.113.10:51820
              - name: branch
                os: debian
                behind_nat: true
                nat: routed
                lan:
                  interface: eth1
                  address: 10.1.0.1/24
                  address_v6: fd00:1::1/64
              - name: hq
                os: debian
                behind_nat: true
                nat: routed
                lan:
                  interface: eth1
                  address: 10.2.0.1/24
                  address_v6: fd00:2::1/64
            hosts:
              - name: web
                site: hq
                address: 10.2.0.20
                address_v6: fd00:2::20
                services: [80/tcp]
            flows:
              - from: branch
                to: web:80/tcp
                family: ipv6
            """;
        var plan = TopologyFixtures.PlanText(yaml);

        var trace = Trace(plan, "branch", "web:80/tcp");

        Assert.True(trace.Holds, trace.Breakage?.Reason);
        Assert.Equal("[fd00:1::1]:40000 → [fd00:2::20]:80/tcp", trace.Request.ToString());
        Assert.Equal(["branch", "relay", "hq", "web"], trace.Forward.Hops.Select(h => h.Host));
        Assert.Equal("wg0", trace.Forward.Hops[0].OutInterface);
        Assert.True(Verifier.Verify(plan).Flows.Single().Passes);
    }

    [Fact]
    public void An_ipv6_flow_crosses_the_hub_there_and_back_with_ipv6_addresses_at_every_hop()
    {
        var trace = Trace(DualStack, "pc", "web:80/tcp");

        Assert.True(trace.Holds, trace.Breakage?.Reason);
        Assert.Equal(["pc", "branch", "relay", "hq", "web"], trace.Forward.Hops.Select(h => h.Host));
        Assert.Equal(["web", "hq", "relay", "branch", "pc"], trace.Return!.Hops.Select(h => h.Host));
        Assert.All(trace.Forward.Hops.Concat(trace.Return.Hops), hop => Assert.False(hop.Packet.Destination.IsV4 || hop.Packet.Source.IsV4));
        Assert.Equal("[fd00:10:20::50]:40000 → [fd00:10:10::20]:80/tcp", trace.Request.ToString());
        Assert.Contains("cryptokey: peer relay (AllowedIP fd00:10:10::/64)", trace.Forward.Hops[1].Decision, StringComparison.Ordinal);
    }

    [Fact]
    public void The_hq_node_masquerades_ipv6_from_the_tunnel_onto_its_lan_and_conntrack_restores_the_reply()
    {
        var trace = Trace(DualStack, "pc", "web:80/tcp");

        Assert.Contains("masquerade fd00:10:20::50 → fd00:10:10::1", trace.Forward.Hops[3].Decision, StringComparison.Ordinal);
        Assert.Equal("fd00:10:10::1", trace.Forward.Hops[^1].Packet.Source.ToString());
        Assert.Contains("conntrack restores destination fd00:10:20::50", trace.Return!.Hops[1].Decision, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_names_resolve_to_ipv4_without_the_flag_and_that_flow_holds_too()
    {
        var trace = Trace(DualStack, "pc", "web:80/tcp", ipv6: false);

        Assert.True(trace.Holds, trace.Breakage?.Reason);
        Assert.Equal("10.20.0.50:40000 → 10.10.0.20:80/tcp", trace.Request.ToString());
    }

    [Fact]
    public void Ipv6_forwarding_off_on_the_relay_breaks_ipv6_flows_there_and_leaves_ipv4_alone()
    {
        var plan = WithRules(DualStack, "relay", rules => rules with { Sysctls = [.. rules.Sysctls.Where(s => s.Name != "net.ipv6.conf.all.forwarding")] });

        var v6 = Trace(plan, "pc", "web:80/tcp");
        Assert.Equal(BreakKind.ForwardingDisabled, v6.Breakage!.Kind);
        Assert.Equal("relay", v6.Breakage.Host);
        Assert.Contains("net.ipv6.conf.all.forwarding is off on relay", v6.Breakage.Reason, StringComparison.Ordinal);
        Assert.Contains("sysctl -w net.ipv6.conf.all.forwarding=1", v6.Breakage.Fix, StringComparison.Ordinal);
        Assert.True(Trace(plan, "pc", "web:80/tcp", ipv6: false).Holds);
    }

    [Fact]
    public void A_missing_ipv6_prefix_in_the_relays_allowed_ips_is_caught_where_wireguard_drops_the_packet()
    {
        var branchLan = System.Net.IPNetwork.Parse("fd00:10:20::/64");
        var plan = WithConfig(DualStack, "relay", config => config with
        {
            Peers = [.. config.Peers.Select(peer => peer with { AllowedIps = [.. peer.AllowedIps.Where(prefix => !prefix.Equals(branchLan))] })],
        });

        var trace = Trace(plan, "pc", "web:80/tcp");

        Assert.Equal(BreakKind.SourceNotAllowed, trace.Breakage!.Kind);
        Assert.Equal("relay", trace.Breakage.Host);
        Assert.Contains("source fd00:10:20::50 not allowed by peer branch", trace.Breakage.Reason, StringComparison.Ordinal);
        Assert.True(Trace(plan, "pc", "web:80/tcp", ipv6: false).Holds);
    }

    [Fact]
    public void A_host_without_an_ipv6_address_cannot_send_ipv6_and_is_told_so()
    {
        var report = TopologyFixtures.VerifyText(DualStackWithFlow("""
              - from: legacy
                to: "[fd00:10:10::20]:80/tcp"
            """));

        var flow = Assert.Single(report.Flows, f => f.Flow.From == "legacy");
        Assert.False(flow.Met);
        Assert.Equal(BreakKind.NoRoute, flow.Trace!.Breakage!.Kind);
        Assert.Contains("legacy has no route for fd00:10:10::20", flow.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ipv6_flow_to_a_unique_local_address_nobody_routes_dies_at_the_internet_uplink()
    {
        var report = TopologyFixtures.VerifyText(DualStackWithFlow("""
              - from: hq
                to: "[fd00:99::1]:80/tcp"
            """));

        var flow = Assert.Single(report.Flows, f => f.Flow.To.Address.ToString() == "fd00:99::1");
        Assert.Equal(BreakKind.InternetUplink, flow.Trace!.Breakage!.Kind);
    }

    [Fact]
    public void An_ipv6_lan_overlapping_the_ipv6_overlay_is_a_finding_on_overlay_v6()
    {
        var yaml = File.ReadAllText(TopologyFixtures.Example("dualstack.yaml")).Replace("fd00:10:20::1/64", "fd00:60::99/64", StringComparison.Ordinal)
            .Replace("fd00:10:20::50", "fd00:60::50", StringComparison.Ordinal);

        var report = TopologyFixtures.VerifyText(yaml);

        var finding = Assert.Single(report.Findings, f => f.Code == "overlay-overlaps-lan");
        Assert.Equal("branch", finding.Node);
        Assert.Contains("network.overlay_v6", finding.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Verdicts_of_the_dual_stack_example_hold_for_every_flow_of_both_families()
    {
        var report = Verifier.Verify(DualStack);

        Assert.True(report.Passed, string.Join("; ", report.Flows.Where(f => !f.Met).Select(f => $"{f.Flow}: {f.Problem}")));
        Assert.Contains(report.Flows, f => f.Flow.To.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && f.Flow.Expect == FlowExpectation.Deny);
        Assert.True(report.Flows.Count(f => f.Flow.To.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6) >= 5);
    }

    [Fact]
    public void Ipv6_lans_without_an_ipv6_overlay_still_get_ipv6_forwarding_and_ip6tables_openings_and_their_flows_hold()
    {
        var yaml = File.ReadAllText(TopologyFixtures.Example("dualstack.yaml"));
        yaml = string.Join('\n', yaml.Split('\n').Where(line => !line.Contains("overlay_v6", StringComparison.Ordinal)));
        yaml = yaml[..yaml.IndexOf("\nflows:\n", StringComparison.Ordinal)] + "\nflows:\n  - from: pc\n    to: web:80/tcp\n    family: ipv6\n  - from: web\n    to: pc:22/tcp\n    family: ipv6\n";
        var plan = TopologyFixtures.PlanText(yaml);

        var branch = plan.NodeNamed("branch");
        Assert.Contains(branch.Rules.Sysctls, s => s.Name == "net.ipv6.conf.all.forwarding" && s.Value == "1");
        Assert.Contains(branch.Hooks.PostUp, line => line.StartsWith("ip6tables -C FORWARD", StringComparison.Ordinal));
        var report = Verifier.Verify(plan);
        Assert.True(report.Passed, string.Join("; ", report.Findings.Select(f => f.ToString()).Concat(report.Flows.Where(f => !f.Met).Select(f => $"{f.Flow}: {f.Problem}"))));
    }

    private static string DualStackWithFlow(string flow)
    {
        var yaml = File.ReadAllText(TopologyFixtures.Example("dualstack.yaml"));
        var hosts = yaml.IndexOf("\nhosts:\n", StringComparison.Ordinal) + "\nhosts:\n".Length;
        yaml = yaml.Insert(hosts, "  - name: legacy\n    site: branch\n    address: 10.20.0.77\n");
        return yaml + flow;
    }

    private static NetworkPlan WithRules(NetworkPlan plan, string node, Func<NodeRules, NodeRules> change) =>
        plan with { Nodes = [.. plan.Nodes.Select(n => n.Name == node ? n with { Rules = change(n.Rules) } : n)] };

    private static NetworkPlan WithConfig(NetworkPlan plan, string node, Func<Sitewire.Config.WgQuick.WgQuickConfig, Sitewire.Config.WgQuick.WgQuickConfig> change) =>
        plan with { Nodes = [.. plan.Nodes.Select(n => n.Name == node ? n with { Config = change(n.Config) } : n)] };
}
