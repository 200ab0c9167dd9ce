using Sitewire.Planner.Model;
using Sitewire.Planner.Trace;
using Sitewire.Planner.Verify;

namespace Sitewire.Planner.Tests.Verify;

/// <summary>
/// verify's path MTU per flow: full-size TCP segments of LAN hosts at MTU 1500 against the tunnel MTU, with and without the
/// plan's MSS clamp, with path MTU discovery working or blocked (a node that drops the ICMP errors it sends); the outer
/// packets against `uplink_mtu`; trace's MTU at each hop.
/// </summary>
public sealed class PathMtuVerifyTests
{
    private static string Fixture => Path.Combine(TopologyFixtures.RepositoryRoot, "tests", "Sitewire.E2E", "Lab", "Topologies", "mss-clamp-removed.yaml");

    private static string Seed(Func<string, string> edit) => edit(File.ReadAllText(TopologyFixtures.Example("seed.yaml")));

    private static FlowResult Flow(VerifyReport report, string from, string to) =>
        report.Flows.Single(f => f.Flow.From == from && f.Flow.To.ToString() == to);

    [Fact]
    public void With_the_planned_clamp_full_size_segments_fit_both_ways_and_icmp_is_not_needed()
    {
        var report = TopologyFixtures.VerifyText(Seed(text => text.Replace("    nat: masquerade\n\n  - name: home", "    nat: masquerade\n    drops_icmp: true\n\n  - name: home", StringComparison.Ordinal)));

        var web = Flow(report, "pad", "web:80/tcp");
        Assert.True(web.Met && web.Passes, web.Problem);
        Assert.Equal(SegmentFit.Fits, web.Mtu!.Forward.Fit);
        Assert.Equal(SegmentFit.Fits, web.Mtu.Return.Fit);
        Assert.Equal(1420, web.Mtu.Forward.Segment);
        Assert.Equal(1420, web.Mtu.Return.Segment);
        Assert.Equal(1420, web.Mtu.ProbeSize);
        Assert.DoesNotContain(report.Findings, f => f.Code is "pmtu-black-hole" or "mss-clamp-missing");
    }

    [Fact]
    public void Without_a_clamp_segments_pass_by_path_mtu_discovery_and_verify_warns_where_the_clamp_is_missing()
    {
        var report = TopologyFixtures.VerifyText(Seed(text => text.Replace("    nat: masquerade\n", "    nat: masquerade\n    mss_clamp: false\n", StringComparison.Ordinal)));

        var web = Flow(report, "pad", "web:80/tcp");
        Assert.True(web.Met, web.Problem);
        Assert.Equal(SegmentFit.AfterPmtuDiscovery, web.Mtu!.Forward.Fit);
        Assert.Equal("home", web.Mtu.Forward.Bottleneck);
        Assert.Equal(SegmentFit.AfterPmtuDiscovery, web.Mtu.Return.Fit);
        Assert.Equal("office", web.Mtu.Return.Bottleneck);
        Assert.Equal(1500, web.Mtu.Return.Segment);
        var missing = report.Findings.Where(f => f.Code == "mss-clamp-missing").ToList();
        Assert.Equal(["home", "office"], missing.Select(f => f.Node).Order(StringComparer.Ordinal));
        Assert.All(missing, f => Assert.Equal(Severity.Warning, f.Severity));
    }

    [Fact]
    public void Without_a_clamp_and_with_icmp_dropped_tcp_flows_through_that_node_stall_while_ping_passes()
    {
        var report = TopologyFixtures.VerifyText(File.ReadAllText(Fixture));

        var web = Flow(report, "pad", "web:80/tcp");
        Assert.False(web.Met);
        Assert.False(web.Passes);
        Assert.True(web.Trace!.Holds, "the handshake passes: only full-size segments are lost");
        Assert.Equal(SegmentFit.BlackHole, web.Mtu!.Return.Fit);
        Assert.Equal("office", web.Mtu.Return.Bottleneck);
        Assert.StartsWith("return path stalls at office: full-size TCP segments from web (1500 bytes) exceed office:wireguard0 (mtu 1420), and office drops the ICMP fragmentation-needed", web.Problem, StringComparison.Ordinal);
        Assert.Contains("mss_clamp: false", web.Fix, StringComparison.Ordinal);
        var nas = Flow(report, "desk", "nas:5000/tcp");
        Assert.Equal(SegmentFit.BlackHole, nas.Mtu!.Forward.Fit);
        Assert.True(Flow(report, "pad", "office:80/tcp").Passes, "office's own segments follow its route MTU 1420");
        Assert.True(Flow(report, "pad", "web").Passes, "ping passes");

        var blackHole = Assert.Single(report.Findings, f => f.Code == "pmtu-black-hole");
        Assert.Equal(Severity.Error, blackHole.Severity);
        Assert.Equal("office", blackHole.Node);
        Assert.Equal("nodes[1].mss_clamp", blackHole.Field);
        Assert.Equal((22, 5), (blackHole.Location!.Line, blackHole.Location.Column));
        Assert.Contains("iptables", string.Join(' ', report.Findings.Where(f => f.Node == "home").Select(f => f.Fix)), StringComparison.Ordinal);
        Assert.Contains("nft", blackHole.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_narrow_uplink_fragments_the_outer_packets_and_the_flow_still_holds()
    {
        var report = TopologyFixtures.VerifyText(Seed(text => text.Replace("    behind_nat: true\n    address: 192.168.200.2", "    behind_nat: true\n    uplink_mtu: 1400\n    address: 192.168.200.2", StringComparison.Ordinal)));

        var web = Flow(report, "pad", "web:80/tcp");
        Assert.True(web.Met, web.Problem);
        var outer = web.Mtu!.Forward.Hops.Single(h => h.Host == "home").Outer!;
        Assert.Equal((1480, 1400, "home", true, true), (outer.Size, outer.PathMtu, outer.NarrowAt, outer.Fragmented, outer.FragmentedBySender));
        var towardsHome = web.Mtu.Return.Hops.Single(h => h.Host == "relay").Outer!;
        Assert.Equal((1480, 1400, "home", false), (towardsHome.Size, towardsHome.PathMtu, towardsHome.NarrowAt, towardsHome.FragmentedBySender));
        Assert.All(report.Findings.Where(f => f.Code == "mtu-budget"), f => Assert.Equal(Severity.Warning, f.Severity));
    }

    [Fact]
    public void Trace_gives_the_mtu_at_each_hop()
    {
        var plan = TopologyFixtures.PlanFile(Fixture);
        var target = Tracer.ResolveTarget(plan.Topology, "pad", "web:80/tcp", false, out _)!;

        var result = Tracer.Check(plan, "pad", target, out _)!;

        Assert.Equal([1500, 1420, 1420, 1500, 1500, null], result.Mtu!.Forward.Hops.Select(h => h.Mtu));
        Assert.Equal(["pad", "home", "relay", "office", "office/router", "web"], result.Mtu.Forward.Hops.Select(h => h.Host));
        Assert.Equal(1420, result.Mtu.Forward.PathMtu);
    }
}
