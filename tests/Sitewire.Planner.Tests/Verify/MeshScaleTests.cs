using Sitewire.Planner.Verify;
using Xunit.Abstractions;

namespace Sitewire.Planner.Tests.Verify;

/// <summary>Verify's work on a mesh grows with its n² peer entries (<see cref="VerifyGrowth"/>).</summary>
public class MeshScaleTests(ITestOutputHelper output)
{
    [Fact]
    public void Verify_of_a_mesh_grows_with_its_peer_entries_up_to_1000_nodes()
    {
        var half = VerifyGrowth.Allocations(output, SyntheticTopologies.Mesh(500), "mesh500.yaml", flows: null);
        var full = VerifyGrowth.Allocations(output, SyntheticTopologies.Mesh(1000), "mesh1000.yaml", flows: null);

        VerifyGrowth.AssertQuadratic("1000-node mesh", half, full);
    }
}
