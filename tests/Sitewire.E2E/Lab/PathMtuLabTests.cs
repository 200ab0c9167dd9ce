using Sitewire.E2E.Doctor;
using Sitewire.E2E.Infrastructure;
using Sitewire.Host.Lab;

namespace Sitewire.E2E.Lab;

/// <summary>
/// Full-size packets for real, with both userspace engines: every TCP/HTTP flow moves 64 KiB each way (checked) from LAN
/// hosts at MTU 1500, and a don't-fragment probe of the path MTU verify predicts crosses while one byte more does not.
/// With the plan's clamps the flows pass though a node drops ICMP errors and an uplink is narrow; without them, where that
/// node drops the ICMP path MTU discovery needs, the flows stall exactly where verify says, and the doctor names the
/// missing clamp (a warning: the plan's expected state, which the lab installs, says mss_clamp: false) with a fix that makes them pass.
/// </summary>
[Collection(LabCollection.Name)]
public class PathMtuLabTests
{
    [Theory]
    [InlineData(LabEngineKind.Sitewired)]
    [InlineData(LabEngineKind.WireguardGo)]
    public void With_the_planned_clamp_full_size_packets_cross_though_icmp_is_dropped_and_an_uplink_is_narrow(LabEngineKind engine)
    {
        var planned = PlannedLab.Load(RepositoryPaths.LabTopology("mtu-clamped.yaml"));
        Assert.All(planned.Verification.Flows, f => Assert.True(f.Met, f.Problem));
        using var lab = new LoggedLab(planned.Blueprint, new LabOptions(engine));

        var results = lab.AssertFlowsAsPredicted();

        Assert.All(results.Where(r => r.Flow.ExpectAllowed), r => Assert.Contains("DF 1420 passes, 1421 does not", r.Outcome.Detail, StringComparison.Ordinal));
        Assert.All(results.Where(r => r.Flow.Protocol is LabProtocol.Http or LabProtocol.Tcp), r => Assert.Contains("64 KiB both ways, checked", r.Outcome.Detail, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(LabEngineKind.Sitewired)]
    [InlineData(LabEngineKind.WireguardGo)]
    public void Without_the_clamp_and_with_icmp_dropped_tcp_stalls_where_verify_says_and_the_doctors_fix_makes_it_pass(LabEngineKind engine)
    {
        var planned = PlannedLab.Load(RepositoryPaths.LabTopology("mss-clamp-removed.yaml"));
        var stalls = planned.Verification.Flows.Where(f => f.Mtu?.Stalls == true).Select(f => f.Flow.ToString()).ToList();
        Assert.Equal(["pad -> web:80/tcp (allow)", "desk -> nas:5000/tcp (allow)"], stalls);
        var options = new LabOptions(engine);
        using var lab = new LoggedLab(planned.Blueprint, options);

        var state = lab.Session.State;
        var stalled = lab.AssertFlowsAsPredicted().Where(r => !r.Outcome.Reached && r.Flow.ExpectAllowed).ToList();
        Assert.Equal(stalls, stalled.Select(r => r.Flow.Name));
        Assert.All(stalled, r => Assert.Contains("KiB exchange stalled", r.Outcome.Detail, StringComparison.Ordinal));

        var findings = DoctorJson.Findings(state, "office", "wireguard0");
        var clamp = Assert.Single(findings, f => f.Status != "ok");
        // the lab installs the plan's expected state, which says mss_clamp: false: a warning, not a problem
        Assert.Equal(("mss clamp ens33", "warning"), (clamp.Check, clamp.Status));
        Assert.EndsWith("(the topology sets mss_clamp: false)", clamp.Message, StringComparison.Ordinal);
        Assert.Contains("no IPv4 MSS clamp for TCP forwarded ens33 → wireguard0 and wireguard0 → ens33", clamp.Message, StringComparison.Ordinal);
        Assert.StartsWith("nft 'add table inet sitewire_mss;", clamp.Fixes[0], StringComparison.Ordinal);
        Assert.Contains(clamp.Fixes, f => f.StartsWith("iptables -t mangle -A FORWARD -o wireguard0 -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu", StringComparison.Ordinal));

        LabExec.Run(state, "office", ["sh", "-c", clamp.Fixes[0]]).EnsureSuccess();

        Assert.DoesNotContain(DoctorJson.Findings(state, "office", "wireguard0"), f => f.Check == "mss clamp ens33" && f.Status != "ok");
        var fixedResults = LabFlows.Run(state, options);
        Assert.All(fixedResults, r => Assert.True(r.MeetsExpectation, $"{r.Flow.Name}: {r.Outcome.Detail}"));
    }
}
