using System.Net;
using Sitewire.Planner.Plan;
using Sitewire.Planner.Trace;
using Sitewire.Planner.Verify;

namespace Sitewire.Planner.Tests.Verify;

/// <summary>
/// examples/overlapping.yaml: two homes with the same 192.168.1.0/24 and a host at 192.168.1.10 in each, mapped to
/// 10.201.1.0/24 and 10.201.2.0/24. verify proves every flow there and back through the prefix maps and conntrack.
/// </summary>
public sealed class MappedLanVerifyTests
{
    private static readonly string Overlapping = File.ReadAllText(TopologyFixtures.Example("overlapping.yaml"));
    private static readonly NetworkPlan Plan = TopologyFixtures.PlanText(Overlapping);

    private static Sitewire.Planner.Model.FlowTrace Trace(NetworkPlan plan, string from, string to)
    {
        var target = Tracer.ResolveTarget(plan.Topology, from, to, false, out var error) ?? throw new InvalidOperationException(error);
        return Tracer.Trace(plan, from, target, out error) ?? throw new InvalidOperationException(error);
    }

    [Fact]
    public void Every_flow_of_the_example_is_as_expected_and_nothing_is_found()
    {
        var report = Verifier.Verify(Plan);

        Assert.Empty(report.Findings);
        Assert.All(report.Flows, flow => Assert.True(flow.Met, $"{flow.Flow}: {flow.Problem}"));
        Assert.Equal(9, report.Flows.Count);
    }

    [Fact]
    public void Between_the_colliding_lans_each_translation_is_traced_with_the_addresses_before_and_after()
    {
        var trace = Trace(Plan, "pc-a", "pc-b:5000/tcp");

        Assert.True(trace.Holds, trace.Breakage?.Reason);
        Assert.Equal("10.201.2.10", trace.Forward.Hops[0].Packet.Destination.ToString());
        var homeA = Assert.Single(trace.Forward.Hops, hop => hop.Host == "home-a");
        Assert.Contains("prefix map: source 192.168.1.10 → 10.201.1.10", homeA.Decision, StringComparison.Ordinal);
        var homeB = Assert.Single(trace.Forward.Hops, hop => hop.Host == "home-b");
        Assert.Contains("prefix map: destination 10.201.2.10 → 192.168.1.10", homeB.Decision, StringComparison.Ordinal);
        Assert.Equal(("pc-b", "192.168.1.10"), (trace.Forward.Hops[^1].Host, trace.Forward.Hops[^1].Packet.Destination.ToString()));

        var back = trace.Return!;
        Assert.Contains("conntrack restores destination 10.201.1.10 (was 192.168.1.1), source 10.201.2.10 (was 192.168.1.10)",
            Assert.Single(back.Hops, hop => hop.Host == "home-b").Decision, StringComparison.Ordinal);
        Assert.Contains("conntrack restores destination 192.168.1.10 (was 10.201.1.10)", Assert.Single(back.Hops, hop => hop.Host == "home-a").Decision, StringComparison.Ordinal);
        Assert.Equal(("pc-a", "10.201.2.10"), (back.Hops[^1].Host, back.Hops[^1].Packet.Source.ToString()));
    }

    [Fact]
    public void The_mapped_prefixes_are_what_the_relay_and_the_other_sites_route()
    {
        IPNetwork[] Allowed(string node) => [.. Plan.NodeNamed(node).Config.Peers.SelectMany(peer => peer.AllowedIps)];

        Assert.Contains(IPNetwork.Parse("10.201.1.0/24"), Allowed("relay"));
        Assert.Contains(IPNetwork.Parse("10.201.2.0/24"), Allowed("relay"));
        Assert.DoesNotContain(IPNetwork.Parse("192.168.1.0/24"), Allowed("relay"));
        Assert.Equal([IPNetwork.Parse("192.168.200.0/24"), IPNetwork.Parse("172.18.3.0/24"), IPNetwork.Parse("10.201.2.0/24")], Allowed("home-a"));
        Assert.Equal([new PrefixMap("wg0", IPNetwork.Parse("192.168.1.0/24"), IPNetwork.Parse("10.201.1.0/24"))], Plan.NodeNamed("home-a").Rules.Maps);
        Assert.Empty(Plan.NodeNamed("office").Rules.Maps);
    }

    [Fact]
    public void One_unmapped_site_of_two_colliding_is_allowed_and_reached_only_through_the_mapped_one()
    {
        var oneMapped = TopologyFixtures.VerifyText(Overlapping.Replace("      mapped_as: 10.201.1.0/24\n", "", StringComparison.Ordinal));

        Assert.DoesNotContain(oneMapped.Findings, finding => finding.Code == "lan-overlap");
        Assert.True(oneMapped.Flows.Single(flow => flow.Flow.ToString() == "desk -> pc-a:22/tcp (allow)").Passes);
        var intoTheUnmapped = oneMapped.Flows.Single(flow => flow.Flow.ToString() == "pc-b -> pc-a:22/tcp (allow)");
        Assert.False(intoTheUnmapped.Met);
        Assert.Contains("lan.mapped_as", intoTheUnmapped.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_unmapped_colliding_sites_are_refused_with_a_fix_that_maps_one()
    {
        var neither = TopologyFixtures.VerifyText(Overlapping
            .Replace("      mapped_as: 10.201.1.0/24\n", "", StringComparison.Ordinal)
            .Replace("      mapped_as: 10.201.2.0/24\n", "", StringComparison.Ordinal));

        var overlap = Assert.Single(neither.Findings, finding => finding.Code == "lan-overlap");
        Assert.Equal("home-b", overlap.Node);
        Assert.Contains("lan.mapped_as: a /24 no LAN or overlay uses", overlap.Fix, StringComparison.Ordinal);
    }
}
