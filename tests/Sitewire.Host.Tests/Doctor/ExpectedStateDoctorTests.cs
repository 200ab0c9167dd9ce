using Sitewire.Host.Doctor;
using Sitewire.Planner.Expected;

namespace Sitewire.Host.Tests.Doctor;

/// <summary>
/// The doctor against the plan's expected state (as `sitewire doctor wg0` reads it from /etc/wireguard) and without one, on
/// examples/dualstack.yaml's recorded hq node: the file's source is named first; without it, what went unchecked is named
/// in a warning; AllowedIPs that no longer cover a planned prefix are a problem only with it.
/// </summary>
public sealed class ExpectedStateDoctorTests
{
    private const string Installed = "/etc/wireguard/sitewire-wg0.json";

    /// <summary>hq's expected state with the recorded relay's public key (the plan's file knows every peer's key).</summary>
    private static ExpectedState Planned()
    {
        var state = DualStackSnapshot.Expected();
        return state with { Peers = [.. state.Peers.Select(peer => peer with { PublicKey = DualStackSnapshot.Relay.PublicKey })] };
    }

    private static DoctorReport Examine(Sitewire.Host.Doctor.NodeSnapshot snapshot, ExpectedLookup lookup) =>
        Assert.Single(NodeDoctor.Examine(snapshot, "wg0", name => name == "wg0" ? lookup : throw new InvalidOperationException(name)));

    [Fact]
    public void A_healthy_node_is_checked_against_its_expected_state_and_says_so_first()
    {
        var report = Examine(DualStackSnapshot.Healthy(), ExpectedLookup.Found(Planned(), Installed));

        Assert.True(report.Healthy);
        Assert.Equal(("expected state", CheckStatus.Ok, $"checked against {Installed} (node hq)"), (report.Findings[0].Check, report.Findings[0].Status, report.Findings[0].Message));
        Assert.Equal(("drift", CheckStatus.Ok), (report.Findings[^1].Check, report.Findings[^1].Status));
        Assert.All(report.Findings, f => Assert.Equal(CheckStatus.Ok, f.Status));
    }

    [Fact]
    public void Without_an_expected_state_the_doctor_names_what_it_could_not_check_and_stays_healthy_by_what_it_checked()
    {
        var report = Examine(DualStackSnapshot.Healthy(), ExpectedLookup.Missing(Installed));

        Assert.True(report.Healthy);
        var missing = report.Findings[0];
        Assert.Equal(("expected state", CheckStatus.Warning), (missing.Check, missing.Status));
        Assert.Equal($"no expected state found at {Installed} (`sitewire plan` writes it as NODE/sitewire-wg0.json; install it there, or pass --expected FILE or --topology FILE --node NAME): " +
            "the planned addresses, peers (public keys, AllowedIPs, endpoints, keepalives), masquerade, prefix maps, sysctls and flow policy were not checked; " +
            "forwarding and masquerade were judged from what the node shows", missing.Message);
        Assert.DoesNotContain(report.Findings, f => f.Check.StartsWith("drift", StringComparison.Ordinal));
    }

    [Fact]
    public void AllowedIps_that_no_longer_cover_a_planned_prefix_are_a_problem_only_with_the_expected_state()
    {
        var relay = DualStackSnapshot.Relay with { AllowedIps = [.. DualStackSnapshot.Relay.AllowedIps.Where(a => a != "10.20.0.0/24")] };
        var shrunk = DualStackSnapshot.Healthy() with { WireGuard = [DualStackSnapshot.Healthy().WireGuard[0] with { Peers = [relay] }] };
        var peer = Planned().Peers[0];

        var planned = Examine(shrunk, ExpectedLookup.Found(Planned(), Installed));
        var unplanned = Examine(shrunk, ExpectedLookup.Missing(Installed));

        var drift = Assert.Single(planned.Findings, f => f.Status == CheckStatus.Problem);
        Assert.Equal($"drift peer {peer.Name}", drift.Check);
        Assert.EndsWith($": 10.20.0.0/24 is no longer sent to {peer.Name} nor accepted from it (what wg0 routes there and no peer takes is dropped)", drift.Message, StringComparison.Ordinal);
        Assert.Equal([$"wg set wg0 peer {relay.PublicKey} allowed-ips {string.Join(',', peer.AllowedIps.Select(a => a.ToString()).Order(StringComparer.Ordinal))}"], drift.Fixes);
        Assert.True(unplanned.Healthy);
    }

    [Fact]
    public void A_missing_planned_masquerade_is_a_problem_and_drift_with_the_expected_state()
    {
        var unmasqueraded = DualStackSnapshot.Healthy().WithoutRules(r => r.Verdict == "masquerade");

        var report = Examine(unmasqueraded, ExpectedLookup.Found(Planned(), Installed));

        Assert.False(report.Healthy);
        Assert.Contains(report.Findings, f => f is { Check: "masquerade eth1", Status: CheckStatus.Problem });
        Assert.Contains(report.Findings, f => f is { Check: "drift masquerade eth1", Status: CheckStatus.Problem });
    }
}
