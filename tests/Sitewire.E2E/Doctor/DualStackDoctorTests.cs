using Sitewire.E2E.Infrastructure;
using Sitewire.E2E.Lab;
using Sitewire.Host.Lab;

namespace Sitewire.E2E.Doctor;

/// <summary>examples/dualstack.yaml's lab, kept for the class: every flow as verify predicts before the doctor looks.</summary>
public sealed class DualStackLabFixture : IDisposable
{
    private readonly LoggedLab _lab;

    public DualStackLabFixture()
    {
        _lab = new LoggedLab(Planned.Blueprint, new LabOptions(LabEngineKind.WireguardGo));
        _lab.AssertFlowsAsPredicted();
    }

    public PlannedLab Planned { get; } = PlannedLab.Load(DualStackDoctorTests.Topology);

    public LabSession Lab => _lab.Session;

    public void Dispose() => _lab.Dispose();
}

/// <summary>
/// The doctor on dual-stack nodes: healthy nodes have no problem (with and without the plan), IPv6 is examined beside
/// IPv4, and each IPv6 fault on hq (wg0) is named alone (and as drift from the expected state the lab installs): forwarding off (which really stops IPv6 from the branch to
/// the head office LAN) and the IPv6 masquerade deleted.
/// </summary>
[Collection(LabCollection.Name)]
public class DualStackDoctorTests(DualStackLabFixture fixture) : IClassFixture<DualStackLabFixture>
{
    public static readonly string Topology = Path.Combine(RepositoryPaths.Examples, "dualstack.yaml");

    private const string Web6 = "fd00:10:10::20";

    private LabState State => fixture.Lab.State;

    [Theory]
    [InlineData("relay")]
    [InlineData("hq")]
    [InlineData("branch")]
    public void Healthy_dual_stack_nodes_have_no_problem_with_and_without_the_plan(string node)
    {
        Assert.Empty(Problems(node));
        Assert.Empty(Problems(node, "--topology", Topology, "--node", node));
        InstalledExpectedState.Without(State, node, "wg0", () => Assert.Empty(Problems(node)));
    }

    [Fact]
    public void With_sitewired_as_the_engine_hq_is_healthy_and_ipv6_forwarding_off_is_named_alone()
    {
        using var lab = LabSession.Start(PlannedLab.Load(Topology).Blueprint, new LabOptions(LabEngineKind.Sitewired), _ => { });
        Assert.All(lab.RunFlows(), r => Assert.True(r.Agrees, r.Flow.Name));
        Assert.Empty(DoctorJson.Problems(lab.State, "hq", "wg0", "--topology", Topology, "--node", "hq"));

        LabExec.Run(lab.State, "hq", ["sysctl", "-w", "net.ipv6.conf.all.forwarding=0"]).EnsureSuccess();

        Assert.Equal(["ipv6 forwarding", "drift sysctl"], DoctorJson.Problems(lab.State, "hq", "wg0").Select(p => p.Check));
    }

    [Fact]
    public void Hq_is_examined_in_both_families()
    {
        var checks = DoctorJson.Findings(State, "hq", "wg0").Where(f => f.Status == "ok").Select(f => f.Check).ToList();

        Assert.Superset(
            new HashSet<string> { "routes", "routes ipv6", "ip_forward", "ipv6 forwarding", "forward", "forward ipv6", "masquerade eth1", "masquerade ipv6 eth1" },
            checks.ToHashSet());
    }

    [Fact]
    public void Ipv6_forwarding_off_is_named_alone_and_really_stops_ipv6()
    {
        Run("hq", "sysctl -w net.ipv6.conf.all.forwarding=0");
        try
        {
            var problems = Problems("hq");
            Assert.Equal(["ipv6 forwarding", "drift sysctl"], problems.Select(p => p.Check));
            var problem = problems[0];
            Assert.Contains("sysctl -w net.ipv6.conf.all.forwarding=1", problem.Fixes);
            Assert.False(Pings("pc", Web6), "IPv6 from the branch reached the head office LAN with hq's IPv6 forwarding off");
            Assert.True(Pings("pc", "10.10.0.20"), "IPv4 from the branch did not reach the head office LAN");
        }
        finally
        {
            Run("hq", "sysctl -w net.ipv6.conf.all.forwarding=1");
        }
        Assert.Empty(Problems("hq"));
        Assert.True(Pings("pc", Web6), "IPv6 from the branch did not reach the head office LAN after the fix");
    }

    [Fact]
    public void A_deleted_ipv6_masquerade_is_named_and_the_plan_names_each_missing_rule()
    {
        Run("hq", "nft -a list chain inet sitewire_wg0 postrouting | awk '/ip6 saddr/ { print $NF }' | xargs -r -n1 nft delete rule inet sitewire_wg0 postrouting handle");
        try
        {
            Assert.DoesNotContain("ip6 saddr", Run("hq", "nft list chain inet sitewire_wg0 postrouting"), StringComparison.Ordinal);
            InstalledExpectedState.Without(State, "hq", "wg0", () =>
            {
                var findings = DoctorJson.Findings(State, "hq", "wg0");
                Assert.DoesNotContain(findings, f => f.Status == "problem");
                var warning = Assert.Single(findings, f => f.Check == "masquerade ipv6 eth1");
                Assert.Equal("warning", warning.Status);
                Assert.Contains("ip6tables -t nat -A POSTROUTING -s fd00:60::/64,fd00:10:20::/64 -o eth1 -j MASQUERADE", warning.Fixes);
            });

            Assert.Equal(["masquerade ipv6 eth1", "drift masquerade ipv6 eth1", "drift masquerade ipv6 eth1"], Problems("hq").Select(p => p.Check));
            var planned = Problems("hq", "--topology", Topology, "--node", "hq");
            Assert.Equal(["masquerade ipv6 eth1", "drift masquerade ipv6 eth1", "drift masquerade ipv6 eth1"], planned.Select(p => p.Check));
            Assert.Equal(
                ["ip6tables -t nat -A POSTROUTING -s fd00:60::/64 -o eth1 -j MASQUERADE", "ip6tables -t nat -A POSTROUTING -s fd00:10:20::/64 -o eth1 -j MASQUERADE"],
                planned.Skip(1).SelectMany(p => p.Fixes));
        }
        finally
        {
            Run("hq", "nft add rule inet sitewire_wg0 postrouting ip6 saddr '{ fd00:60::/64, fd00:10:20::/64 }' oifname eth1 masquerade");
        }
        Assert.Empty(Problems("hq", "--topology", Topology, "--node", "hq"));
        Assert.DoesNotContain(DoctorJson.Findings(State, "hq", "wg0"), f => f.Status != "ok" && f.Check.Contains("masquerade", StringComparison.Ordinal));
    }

    private IReadOnlyList<DoctorFindingJson> Problems(string node, params string[] options) => DoctorJson.Problems(State, node, "wg0", options);

    /// <summary>Up to three echo requests, one second each at most: true when any is answered.</summary>
    private bool Pings(string host, string address) =>
        LabExec.Run(State, host, ["ping", "-c", "3", "-i", "0.3", "-W", "1", address], TimeSpan.FromSeconds(15)).ExitCode == 0;

    private string Run(string node, string command) => LabExec.Run(State, node, ["sh", "-c", command], TimeSpan.FromSeconds(30)).EnsureSuccess().StandardOutput;
}
