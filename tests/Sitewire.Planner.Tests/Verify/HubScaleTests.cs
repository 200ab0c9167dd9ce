using Sitewire.Planner.Verify;
using Xunit.Abstractions;

namespace Sitewire.Planner.Tests.Verify;

/// <summary>Verify's work on a hub with a flow between every pair of sites grows with its n² flows (<see cref="VerifyGrowth"/>).</summary>
public class HubScaleTests(ITestOutputHelper output)
{
    [Fact]
    public void Verify_of_a_hub_grows_with_its_flows_up_to_200_sites_all_pairs()
    {
        var half = VerifyGrowth.Allocations(output, SyntheticTopologies.HubAllPairs(100), "hub100.yaml", flows: 100 * 99);
        var full = VerifyGrowth.Allocations(output, SyntheticTopologies.HubAllPairs(200), "hub200.yaml", flows: 200 * 199);

        VerifyGrowth.AssertQuadratic("200-site hub", half, full);
    }
}
