using System.Globalization;
using Sitewire.Host.Lab;
using Xunit.Abstractions;

namespace Sitewire.E2E.Lab;

/// <summary>
/// verify's verdict is the lab's verdict on random designs (issue 15): a few fixed seeds, which once found
/// disagreements, and one fresh seed per run (printed, with the design, when it fails). Every flow the lab tries must
/// end as verify predicted. `scripts/verify-vs-lab.sh --designs 300` runs many more.
/// </summary>
[Collection(LabCollection.Name)]
public class VerifyVsLabTests(ITestOutputHelper output)
{
    /// <summary>
    /// The first designs (from seed 1) with what once disagreed or is easy to get wrong: a host whose router sits in an
    /// extra on-link subnet (the lab built no router there), a deny flow to a host port it does not serve (a refusal is
    /// no isolation), a mesh with a NATed node whose router forwards its endpoint port, a host whose gateway is the node
    /// reaching a host behind a LAN router of its own site (the node forwards back out its LAN: no ICMP redirect), flows
    /// without keepalive to and from sites behind NAT (each flow from the idle state, not riding on another's session), the
    /// flows as the enforced policy with a deny among them.
    /// One design may serve several of them.
    /// </summary>
    public static TheoryData<int> FixedSeeds() =>
    [
        .. new[]
        {
            First(t => t.Hosts.Any(h => h.Router is { } router && t.FindNode(h.Site)!.Lan!.SegmentOf(router) is { Via: null } segment
                && !t.FindNode(h.Site)!.Lan!.InterfaceAddresses.Any(a => segment.Prefix.Contains(a.Address)))),
            First(t => t.Flows.Any(f => f.Expect == Sitewire.Config.Topology.FlowExpectation.Deny && f.To.Port is { } port && t.FindHost(f.To.Name ?? "") is { } host
                && !host.Services.Any(s => s.Port == port))),
            First(t => t.Network.Shape == Sitewire.Config.Topology.NetworkShape.Mesh && t.Nodes.Any(n => n.BehindNat && n.Endpoint is not null) && t.Flows.Count > 1),
            First(t => t.Flows.Any(f => t.FindHost(f.From) is { Gateway: Sitewire.Config.Topology.GatewayKind.Node } from && t.FindHost(f.To.Name ?? "") is { } to
                && to.Site == from.Site && t.FindNode(to.Site)!.Lan!.SegmentOf(to.Address) is { Via: not null })),
            First(t => t.Network.PersistentKeepalive == 0 && t.Nodes.Any(n => n.BehindNat && n.Endpoint is null) && t.Flows.Count > 2),
            First(t => t.Network.Policy == Sitewire.Config.Topology.FlowPolicy.Flows && t.Flows.Any(f => f.Expect == Sitewire.Config.Topology.FlowExpectation.Deny)),
        }.Distinct(),
    ];

    [Theory]
    [MemberData(nameof(FixedSeeds))]
    public void A_random_design_runs_every_flow_as_verify_predicts(int seed) => AssertAgrees(seed);

    [Fact]
    public void A_fresh_random_design_runs_every_flow_as_verify_predicts()
    {
        var seed = Random.Shared.Next();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fresh seed {seed}"));
        AssertAgrees(seed);
    }

    /// <summary>
    /// Not a test of its own: runs SITEWIRE_VERIFY_VS_LAB_DESIGNS designs from SITEWIRE_VERIFY_VS_LAB_SEED, for
    /// scripts/verify-vs-lab.sh, which sets them (does nothing when they are unset).
    /// </summary>
    [Fact]
    public void Many_random_designs_when_asked() => VerifyVsLabRun.FromEnvironment()?.Run();

    private static int First(Func<Sitewire.Config.Topology.Topology, bool> wanted)
    {
        for (var seed = 1; seed < 5000; seed++)
        {
            var (used, topology, _) = VerifyVsLab.Design(seed);
            if (used == seed && wanted(topology))
            {
                return seed;
            }
        }
        throw new InvalidOperationException("no design of the first 5000 seeds has what the fixed seed needs");
    }

    private void AssertAgrees(int seed)
    {
        var run = VerifyVsLab.Run(seed, LabEngineKind.Sitewired);
        output.WriteLine(run.Describe());
        Assert.True(run.Agrees, run.Describe());
    }
}
