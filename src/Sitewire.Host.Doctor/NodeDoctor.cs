using Sitewire.Host.Linux;
using Sitewire.Planner.Expected;
using Sitewire.Host.Doctor.Checks;

namespace Sitewire.Host.Doctor;

/// <summary>Runs every check on each WireGuard interface of a snapshot (or the one named), in the order a human debugs.</summary>
public static class NodeDoctor
{
    private static readonly Func<DoctorContext, IEnumerable<DoctorFinding>>[] Checks =
    [
        InterfaceCheck.Run,
        PeerChecks.Run,
        RouteChecks.Run,
        InputPortCheck.Run,
        IptablesBackendsCheck.Run,
        ForwardingChecks.Run,
        MasqueradeCheck.Run,
        PrefixMapCheck.Run,
        MssClampCheck.Run,
        FirewalldCheck.Run,
    ];

    /// <summary>
    /// Every check on each interface, against what <paramref name="expected"/> finds for it: with the plan's expected state,
    /// its expectation and the drift against it; without, a warning that names the file looked for and what went unchecked.
    /// </summary>
    public static IReadOnlyList<DoctorReport> Examine(NodeSnapshot snapshot, string? interfaceName, Func<string, ExpectedLookup> expected) =>
        [.. Targets(snapshot, interfaceName).Select(wg =>
        {
            var lookup = expected(wg.Name);
            var report = Examine(snapshot, wg, lookup.State is { } state ? DoctorExpectations.For(state) : null);
            DoctorFinding[] planned = lookup.State is { } plannedState
                ? [DoctorFinding.Ok("expected state", $"checked against {lookup.Source} (node {plannedState.Node})"), .. DriftCheck.Run(snapshot, wg, plannedState)]
                : [DoctorFinding.Warning("expected state",
                    $"no expected state found at {lookup.Source} (`sitewire plan` writes it as NODE/{ExpectedStateFile.FileName(wg.Name)}; install it there, or pass --expected FILE or --topology FILE --node NAME): " +
                    "the planned addresses, peers (public keys, AllowedIPs, endpoints, keepalives), masquerade, prefix maps, sysctls and flow policy were not checked; " +
                    "forwarding and masquerade were judged from what the node shows")];
            return report with { Findings = [.. planned[..1], .. report.Findings, .. planned[1..]] };
        })];

    public static IReadOnlyList<DoctorReport> Examine(NodeSnapshot snapshot, string? interfaceName, DoctorExpectation? expectation = null) =>
        [.. Targets(snapshot, interfaceName).Select(wg => Examine(snapshot, wg, expectation))];

    private static DoctorReport Examine(NodeSnapshot snapshot, WireGuardInterfaceState wg, DoctorExpectation? expectation)
    {
        var context = new DoctorContext(snapshot, wg, expectation);
        return new DoctorReport(wg.Name, [.. Checks.SelectMany(check => check(context))]);
    }

    private static IReadOnlyList<WireGuardInterfaceState> Targets(NodeSnapshot snapshot, string? interfaceName)
    {
        var targets = interfaceName is null ? snapshot.WireGuard : snapshot.WireGuard.Where(w => w.Name == interfaceName).ToList();
        if (targets.Count == 0)
        {
            throw new InvalidOperationException(interfaceName is null
                ? "no WireGuard interface on this node (`wg show` lists none): bring one up with `wg-quick up IFACE`"
                : $"{interfaceName} is not a WireGuard interface on this node (WireGuard interfaces: {(snapshot.WireGuard.Count == 0 ? "none" : string.Join(", ", snapshot.WireGuard.Select(w => w.Name)))})");
        }
        return targets;
    }
}
