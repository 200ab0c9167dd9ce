using CsCheck;
using Sitewire.Planner.Verify;

namespace Sitewire.Planner.Tests.Verify;

public class ReorderingPropertyTests
{
    /// <summary>What verify decides, independent of where things sit in the file: per-flow verdicts and broken hosts, finding codes per node.</summary>
    private static (bool Passed, string Flows, string Findings) Verdict(VerifyReport report) =>
        (report.Passed,
         string.Join("\n", report.Flows.Select(f => $"{f.Flow} met={f.Met} at={f.BrokenAt}").Order(StringComparer.Ordinal)),
         string.Join("\n", report.Findings.Select(f => $"{f.Severity} {f.Code}").Order(StringComparer.Ordinal)));

    [Fact]
    public void Verdict_is_stable_when_nodes_hosts_and_flows_are_shuffled()
    {
        Gen.Select(Gen.Int[0, 1_000_000], Gen.Int[2, 6], Gen.Int, Gen.Int).Sample((seed, sites, firstOrder, secondOrder) =>
        {
            var topology = new RandomTopology(seed, sites);

            var first = Verdict(TopologyFixtures.VerifyText(topology.Yaml(firstOrder)));
            var second = Verdict(TopologyFixtures.VerifyText(topology.Yaml(secondOrder)));

            Assert.Equal(first, second);
        }, iter: 60);
    }

    [Fact]
    public void Random_topologies_exercise_both_verdicts()
    {
        var reports = Enumerable.Range(0, 40).Select(seed => TopologyFixtures.VerifyText(new RandomTopology(seed, 4).Yaml(seed))).ToList();

        Assert.Contains(reports, r => r.Flows.Any(f => f.Passes));
        Assert.Contains(reports, r => r.Flows.Any(f => !f.Passes));
    }
}
