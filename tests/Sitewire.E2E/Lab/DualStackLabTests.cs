using System.Net;
using System.Net.Sockets;
using Sitewire.E2E.Doctor;
using Sitewire.E2E.Infrastructure;
using Sitewire.Host.Lab;

namespace Sitewire.E2E.Lab;

/// <summary>
/// examples/dualstack.yaml for real: IPv4 and IPv6 LANs on both sites, TCP and ping over each family both ways,
/// to LAN hosts behind the far site and to a node's IPv6 overlay address, and an IPv6 flow the network must stop;
/// every flow as verify predicted, with each userspace engine and through the CLI, and nothing left afterwards; the
/// Ubuntu branch's planned ip6tables forward accept is needed for real.
/// </summary>
[Collection(LabCollection.Name)]
public class DualStackLabTests
{
    [Theory]
    [InlineData(LabEngineKind.Sitewired)]
    [InlineData(LabEngineKind.WireguardGo)]
    public void Dual_stack_flows_pass_over_both_families_as_verify_predicts_and_nothing_remains(LabEngineKind engine)
    {
        var planned = PlannedLab.Load(Path.Combine(RepositoryPaths.Examples, "dualstack.yaml"));
        var options = new LabOptions(engine);
        string id;
        List<LabProcess> processes;
        using (var lab = LabSession.Start(planned.Blueprint, options, _ => { }))
        {
            id = lab.State.Id;
            processes = LabLeftovers.Snapshot(id);
            AssertIpv6LanIsUsable(lab.State);
            AssertEverySessionIsUpBeforeTheFlows(lab.State);
            var results = lab.RunFlows();

            Assert.All(results, r => Assert.True(r.Agrees && r.MeetsExpectation, $"{r.Flow.Name}: verify {r.Flow.Prediction}, lab {r.Outcome.Detail}"));
            Assert.Equal(9, results.Count);
            Assert.Contains(results, r => r.Flow is { FromHost: "pc", ToAddress: "fd00:10:10::20", Port: 80, Protocol: LabProtocol.Http } && r.Outcome.Reached);
            Assert.Contains(results, r => r.Flow is { FromHost: "pc", ToAddress: "fd00:10:10::20", Protocol: LabProtocol.Icmp } && r.Outcome.Reached);
            Assert.Contains(results, r => r.Flow is { FromHost: "pc", ToAddress: "fd00:10:10::30", Port: 445 } && r.Outcome.Reached);
            Assert.Contains(results, r => r.Flow is { FromHost: "web", ToAddress: "fd00:10:20::50", Port: 22 } && r.Outcome.Reached);
            Assert.Contains(results, r => r.Flow is { FromHost: "web", ToAddress: "10.20.0.50", Port: 22 } && r.Outcome.Reached);
            Assert.Contains(results, r => r.Flow is { FromHost: "pc", ToAddress: "10.10.0.20", Protocol: LabProtocol.Http } && r.Outcome.Reached);
            Assert.Contains(results, r => r.Flow is { FromHost: "pc", Protocol: LabProtocol.Icmp } && IsOverlayV6(planned, r.Flow.ToAddress, "hq") && r.Outcome.Reached);
            Assert.Contains(results, r => r.Flow is { FromHost: "web", Port: 8080 } && IsOverlayV6(planned, r.Flow.ToAddress, "branch") && r.Outcome.Reached);
            var refused = Assert.Single(results, r => !r.Flow.ExpectAllowed);
            Assert.Equal(("fd00:10:99::50", 3389, false), (refused.Flow.ToAddress, refused.Flow.Port, refused.Outcome.Reached));
        }
        LabLeftovers.AssertNone(id, processes);
    }

    /// <summary>
    /// The branch (Ubuntu) starts with FORWARD policy DROP for both families: without its planned ip6tables LAN → tunnel
    /// accept exactly the workstation's IPv6 connections fail (IPv4 and the replies to IPv6 from the head office pass),
    /// doctor names exactly the IPv6 LAN → tunnel direction for new connections with the ip6tables accept as the fix, and
    /// the rule put back heals them (doctor healthy again).
    /// </summary>
    [Fact]
    public void Without_the_planned_ip6tables_accept_on_the_ubuntu_branch_exactly_its_lans_ipv6_connections_fail()
    {
        var planned = PlannedLab.Load(Path.Combine(RepositoryPaths.Examples, "dualstack.yaml"));
        var accept = PlannedForwardAccept.Of(planned, "branch", "ip6tables", "eth1", "wg0");
        using var lab = LabSession.Start(planned.Blueprint, new LabOptions(LabEngineKind.Sitewired), _ => { });
        var rules = LabExec.Run(lab.State, "branch", ["ip6tables", "-S", "FORWARD"]).EnsureSuccess().StandardOutput;
        Assert.Contains("-P FORWARD DROP", rules, StringComparison.Ordinal);
        Assert.Contains(accept.Listed, rules, StringComparison.Ordinal);

        LabExec.Run(lab.State, "branch", accept.Delete).EnsureSuccess();

        var results = lab.RunFlows();
        var ipv6FromBranchLan = results.Where(r => r.Flow is { FromHost: "pc", ExpectAllowed: true } && IPAddress.Parse(r.Flow.ToAddress).AddressFamily == AddressFamily.InterNetworkV6).ToList();
        Assert.Equal(4, ipv6FromBranchLan.Count);
        Assert.All(ipv6FromBranchLan, r => Assert.False(r.Outcome.Reached, $"{r.Flow.Name}: {r.Outcome.Detail}"));
        Assert.All(results.Except(ipv6FromBranchLan), r => Assert.True(r.MeetsExpectation, $"{r.Flow.Name}: {r.Outcome.Detail}"));
        var blocked = Assert.Single(DoctorJson.Findings(lab.State, "branch", "wg0"), f => f.Status != "ok");
        Assert.Equal(("problem", "forward ipv6 eth1→wg0"), (blocked.Status, blocked.Check));
        Assert.Equal("IPv6 eth1 → wg0 (new connections from the LAN) is dropped by the policy drop of ip6 filter FORWARD", blocked.Message);
        Assert.Contains("ip6tables -I FORWARD -i eth1 -o wg0 -j ACCEPT", blocked.Fixes);

        LabExec.Run(lab.State, "branch", accept.Insert).EnsureSuccess();

        Assert.All(lab.RunFlows(), r => Assert.True(r.MeetsExpectation, $"{r.Flow.Name}: {r.Outcome.Detail}"));
        Assert.All(DoctorJson.Findings(lab.State, "branch", "wg0"), f => Assert.True(f.Status == "ok", $"{f.Check}: {f.Message}"));
    }

    [Fact]
    public void The_cli_runs_the_dual_stack_example_as_verify_predicts_and_removes_it()
    {
        var (exitCode, output) = CliRun.Run(TimeSpan.FromSeconds(120), "lab", Path.Combine(RepositoryPaths.Examples, "dualstack.yaml"));

        Assert.True(exitCode == 0, output);
        Assert.Contains("9 of 9 flows as verify predicted", output, StringComparison.Ordinal);
        Assert.Contains("pc -> web:80/tcp over IPv6 (allow)", output, StringComparison.Ordinal);
        LabLeftovers.AssertNone(CliRun.LabId(output), []);
    }

    /// <summary>
    /// Before any flow, every node has a handshake with every peer: the branch's by its keepalive, relay ↔ hq (which dial
    /// each other) opened by the lab from hq alone — left to the flows in both directions, the two initiations crossed
    /// and both were lost (the dual-stack fixture's dead tunnel under load).
    /// </summary>
    private static void AssertEverySessionIsUpBeforeTheFlows(LabState state)
    {
        foreach (var (node, iface) in state.Tunnels)
        {
            var handshakes = LabExec.Run(state, node, ["wg", "show", iface, "latest-handshakes"]).EnsureSuccess().StandardOutput
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t')).ToList();
            Assert.Equal(node == "relay" ? 2 : 1, handshakes.Count);
            Assert.All(handshakes, fields => Assert.True(fields[1].Trim() != "0", $"{node}: no handshake with {fields[0]} before the flows"));
        }
    }

    /// <summary>IPv6 LAN addresses are not tentative (no DAD wait), hosts send IPv6 to their node, services listen on both addresses.</summary>
    private static void AssertIpv6LanIsUsable(LabState state)
    {
        var addresses = LabExec.Run(state, "pc", ["ip", "-6", "-o", "addr", "show", "dev", "eth0", "scope", "global"]).EnsureSuccess().StandardOutput;
        Assert.Contains("fd00:10:20::50/64", addresses, StringComparison.Ordinal);
        Assert.DoesNotContain("tentative", addresses, StringComparison.Ordinal);
        var route = LabExec.Run(state, "pc", ["ip", "-6", "route", "get", "fd00:10:10::20"]).EnsureSuccess().StandardOutput;
        Assert.Contains("via fd00:10:20::1 dev eth0", route, StringComparison.Ordinal);
        var listening = LabExec.Run(state, "web", ["ss", "-Htln"]).EnsureSuccess().StandardOutput;
        Assert.Contains("10.10.0.20:80", listening, StringComparison.Ordinal);
        Assert.Contains("[fd00:10:10::20]:80", listening, StringComparison.Ordinal);
    }

    private static bool IsOverlayV6(PlannedLab planned, string address, string node) =>
        IPAddress.Parse(address) is { AddressFamily: AddressFamily.InterNetworkV6 } parsed && parsed.Equals(planned.Topology.NodeNamed(node).OverlayAddressV6);
}
