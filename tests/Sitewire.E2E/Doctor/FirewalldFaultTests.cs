using Sitewire.E2E.Infrastructure;
using Sitewire.E2E.Lab;
using Sitewire.Host.Lab;
using Sitewire.Planner.Plan;
using Sitewire.Planner.Verify;

namespace Sitewire.E2E.Doctor;

/// <summary>The seed lab with firewalld on relay and office, kept for the class of firewalld faults.</summary>
public sealed class FirewalldSeedLabFixture : IDisposable
{
    private readonly LoggedLab _lab;

    public FirewalldSeedLabFixture()
    {
        Planned = PlannedLab.Load(Path.Combine(RepositoryPaths.Examples, "seed.yaml"));
        _lab = new LoggedLab(Planned.Blueprint, Options);
        _lab.AssertFlowsAsPredicted();
    }

    public PlannedLab Planned { get; }

    public static LabOptions Options { get; } = new(LabEngineKind.WireguardGo);

    public LabSession Lab => _lab.Session;

    public void Dispose() => _lab.Dispose();
}

/// <summary>
/// Each firewalld mistake an admin makes, injected with firewall-cmd (or nft) into a live firewalld node of the seed lab:
/// the flows through it break as the fault implies, doctor names it alone with a firewall-cmd fix (and, where the fault
/// removes a planned rule, as drift from the expected state the lab installs), and that fix (its
/// runtime and permanent halves) heals every flow; the node is healthy again afterwards. Where the fault can be said in
/// the plan (no zone change, no port, no masquerade), verify on that plan predicts exactly the flows the lab breaks.
/// </summary>
[Collection(LabCollection.Name)]
public class FirewalldFaultTests(FirewalldSeedLabFixture fixture) : IClassFixture<FirewalldSeedLabFixture>
{
    private const string PadToWeb = "pad -> web:80/tcp";
    private const string DeskToNas = "desk -> nas:5000/tcp";
    private const string PadToOffice = "pad -> office:80/tcp";

    private LabState State => fixture.Lab.State;

    [Fact]
    public void Port_not_open_on_the_relay()
    {
        // Established sessions keep their conntrack entry; new source ports (as after a NAT mapping expires) must pass the port.
        Fault("relay", "firewall-cmd --remove-port=51820/udp", "udp port", [PadToWeb, DeskToNas, PadToOffice],
            inPlan: plan => WithFirewall(plan, "relay", f => f with { Firewalld = f.Firewalld! with { UdpPort = null } }),
            afterInject: () =>
            {
                Run("home", "wg set wireguard0 listen-port 40102");
                Run("office", "wg set wireguard0 listen-port 40101");
            });
    }

    [Fact]
    public void Tunnel_in_no_zone() =>
        Fault("office", "firewall-cmd --zone=public --remove-interface=wireguard0", "firewalld wireguard0", [DeskToNas],
            inPlan: plan => WithFirewall(plan, "office", f => f with { Firewalld = null }),
            cleanup: "firewall-cmd --permanent --zone=public --remove-interface=wireguard0");

    [Fact]
    public void Tunnel_in_the_wrong_zone() =>
        Fault("office", "firewall-cmd --zone=internal --change-interface=wireguard0", "firewalld wireguard0", [PadToWeb, DeskToNas, PadToOffice],
            cleanup: "firewall-cmd --permanent --zone=public --remove-interface=wireguard0");

    [Fact]
    public void Forwarding_off_in_the_zone() =>
        Fault("office", "firewall-cmd --zone=public --remove-forward", "firewalld wireguard0", [PadToWeb, DeskToNas]);

    [Fact]
    public void Forwarding_off_in_the_relays_zone() =>
        Fault("relay", "firewall-cmd --zone=public --remove-forward", "firewalld wireguard0", [PadToWeb, DeskToNas, PadToOffice]);

    [Fact]
    public void Masquerade_off() =>
        Fault("office", "nft flush chain inet sitewire_wireguard0 postrouting", "masquerade ens33", [PadToWeb],
            drift: ["drift masquerade ens33", "drift masquerade ens33"],
            inPlan: plan => WithNode(plan, "office", n => n with { Rules = n.Rules with { Nat = [] } }),
            cleanup: "firewall-cmd --zone=public --remove-masquerade && firewall-cmd --permanent --zone=public --remove-masquerade && " +
                "nft add rule inet sitewire_wireguard0 postrouting ip saddr '{ 192.168.200.0/24, 192.168.3.0/24 }' oifname ens33 masquerade");

    [Fact]
    public void Reload_without_permanent_drops_the_tunnels_zone_and_the_permanent_fix_survives_the_next_reload() =>
        Fault("office", "firewall-cmd --reload", "firewalld wireguard0", [DeskToNas],
            inPlan: plan => WithFirewall(plan, "office", f => f with { Firewalld = null }),
            afterFix: () =>
            {
                Run("office", "firewall-cmd --reload");
                Assert.Empty(DoctorJson.Problems(State, "office", "wireguard0"));
            },
            cleanup: "firewall-cmd --permanent --zone=public --remove-interface=wireguard0");

    private void Fault(string node, string inject, string check, string[] broken, Func<NetworkPlan, NetworkPlan>? inPlan = null,
        Action? afterInject = null, Action? afterFix = null, string? cleanup = null, string[]? drift = null)
    {
        if (inPlan is not null)
        {
            var predicted = Verifier.Verify(inPlan(fixture.Planned.Plan)).Flows.Where(f => !f.Met).Select(f => Name(f.Flow.ToString()));
            Assert.Equal(broken, predicted);
        }
        Assert.Empty(DoctorJson.Problems(State, node, "wireguard0"));
        Run(node, inject);
        try
        {
            afterInject?.Invoke();
            var results = LabFlows.Run(State, FirewalldSeedLabFixture.Options);
            Assert.Equal(broken, results.Where(r => !r.MeetsExpectation).Select(r => Name(r.Flow.Name)));

            var problems = DoctorJson.Problems(State, node, "wireguard0");
            Assert.Equal([check, .. drift ?? []], problems.Select(p => p.Check));
            var problem = problems[0];
            var fix = problem.Fixes[0];
            Assert.StartsWith("firewall-cmd ", fix, StringComparison.Ordinal);
            Assert.Contains(" && firewall-cmd --permanent ", fix, StringComparison.Ordinal);
            Run(node, fix);

            var healed = LabFlows.Run(State, FirewalldSeedLabFixture.Options);
            Assert.All(healed, r => Assert.True(r.MeetsExpectation, $"after `{fix}`: {r.Flow.Name}: {r.Outcome.Detail}"));
            Assert.Empty(DoctorJson.Problems(State, node, "wireguard0"));
            afterFix?.Invoke();
        }
        finally
        {
            if (cleanup is not null)
            {
                LabExec.Run(State, node, ["sh", "-c", cleanup], TimeSpan.FromSeconds(30));
            }
        }
    }

    private static string Name(string flow) => flow.Replace(" (allow)", "", StringComparison.Ordinal);

    private static NetworkPlan WithNode(NetworkPlan plan, string node, Func<NodePlan, NodePlan> change) =>
        plan with { Nodes = [.. plan.Nodes.Select(n => n.Name == node ? change(n) : n)] };

    private static NetworkPlan WithFirewall(NetworkPlan plan, string node, Func<FirewallPlan, FirewallPlan> change) =>
        WithNode(plan, node, n => n with { Rules = n.Rules with { Firewall = change(n.Rules.Firewall) } });

    private string Run(string node, string command) => LabExec.Run(State, node, ["sh", "-c", command], TimeSpan.FromSeconds(30)).EnsureSuccess().StandardOutput;
}
