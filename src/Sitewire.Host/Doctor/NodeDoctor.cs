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

    public static IReadOnlyList<DoctorReport> Examine(NodeSnapshot snapshot, string? interfaceName, DoctorExpectation? expectation = null)
    {
        var targets = interfaceName is null ? snapshot.WireGuard : snapshot.WireGuard.Where(w => w.Name == interfaceName).ToList();
        if (targets.Count == 0)
        {
            throw new InvalidOperationException(interfaceName is null
                ? "no WireGuard interface on this node (`wg show` lists none): bring one up with `wg-quick up IFACE`"
                : $"{interfaceName} is not a WireGuard interface on this node (WireGuard interfaces: {(snapshot.WireGuard.Count == 0 ? "none" : string.Join(", ", snapshot.WireGuard.Select(w => w.Name)))})");
        }
        return [.. targets.Select(wg =>
        {
            var context = new DoctorContext(snapshot, wg, expectation);
            return new DoctorReport(wg.Name, [.. Checks.SelectMany(check => check(context))]);
        })];
    }
}
