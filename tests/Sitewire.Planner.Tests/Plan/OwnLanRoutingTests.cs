using System.Net;
using Sitewire.Planner.Tests.Verify;

namespace Sitewire.Planner.Tests.Plan;

/// <summary>A site's own LAN prefix never goes into its tunnel's AllowedIPs: wg-quick up would fail adding its route.</summary>
public sealed class OwnLanRoutingTests
{
    private static readonly string OverlappingLans = File.ReadAllText(Path.Combine(PlanFixtures.Root, "tests", "Sitewire.E2E", "Lab", "Topologies", "overlapping-lans.yaml"));

    [Theory]
    [InlineData("hub")]
    [InlineData("mesh")]
    public void Two_sites_with_the_same_lan_route_it_only_on_their_lan(string shape)
    {
        var plan = TopologyFixtures.PlanText(OverlappingLans.Replace("shape: hub", $"shape: {shape}\n  hub: relay", StringComparison.Ordinal));
        var lan = IPNetwork.Parse("192.168.1.0/24");

        foreach (var site in new[] { "homea", "homeb" })
        {
            Assert.DoesNotContain(plan.NodeNamed(site).Config.Peers.SelectMany(peer => peer.AllowedIps), prefix => prefix == lan);
            Assert.Contains(plan.NodeNamed(site).Config.Peers.SelectMany(peer => peer.AllowedIps), prefix => prefix == IPNetwork.Parse("10.30.0.0/24"));
        }
    }

    [Fact]
    public void Verify_reports_the_overlap_and_the_flows_across_it_broken()
    {
        var report = TopologyFixtures.VerifyText(OverlappingLans);

        Assert.Contains(report.Findings, finding => finding.Code == "lan-overlap");
        Assert.All(report.Flows, flow => Assert.False(flow.Passes, flow.Flow.ToString()));
    }
}
