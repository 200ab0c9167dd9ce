using System.Globalization;
using System.Net;
using Sitewire.Host.Linux;
using Sitewire.Netfilter;
using Sitewire.Planner.Expected;
using Sitewire.Planner.Plan;

namespace Sitewire.Host.Doctor.Checks;

/// <summary>
/// Compares the live interface with the node's expected state: addresses, listen port, MTU, each planned peer (found by
/// its public key when the plan knows it, else by its allowed-ips) with its allowed-ips, endpoint and
/// keepalive, the prefixes the failover agent moves between relays, the planned masquerade rules (IPv4 and IPv6) and sysctls (IPv6 forwarding too), and the flow policy's rules
/// (<see cref="FlowPolicyCheck"/>). Each difference is a problem naming plan and live values.
/// </summary>
public static class DriftCheck
{
    public static IEnumerable<DoctorFinding> Run(NodeSnapshot snapshot, WireGuardInterfaceState live, ExpectedState planned)
    {
        var drift = new List<DoctorFinding>();
        var liveAddresses = snapshot.Addresses.Where(a => a.Interface == live.Name).Select(a => $"{a.Address}/{a.PrefixLength}").ToHashSet();
        foreach (var address in planned.Addresses.Where(a => !liveAddresses.Contains(a)))
        {
            drift.Add(Drift("address", $"planned Address {address} is not on {live.Name} (live: {string.Join(", ", liveAddresses)})", $"ip address add {address} dev {live.Name}"));
        }
        if (planned.ListenPort is { } port && port != live.ListenPort)
        {
            drift.Add(Drift("listen port", $"planned ListenPort {port}, live {live.ListenPort}", $"wg set {live.Name} listen-port {port}"));
        }
        if (planned.Mtu is { } mtu && snapshot.Link(live.Name) is { } link && link.Mtu != mtu)
        {
            drift.Add(Drift("mtu", $"planned MTU {mtu}, live {link.Mtu}", $"ip link set {live.Name} mtu {mtu}"));
        }
        foreach (var peer in planned.Peers)
        {
            drift.AddRange(PeerDrift(live, peer, planned.FailoverCarried));
        }
        drift.AddRange(FailoverDrift(live, planned.FailoverCarried));
        if (live.Peers.Count > planned.Peers.Count)
        {
            drift.Add(Drift("peers", $"{live.Peers.Count} peers live, {planned.Peers.Count} planned"));
        }
        foreach (var nat in planned.Masquerade)
        {
            var family = IpFamily.Of(nat.Source.BaseAddress);
            var packet = new NetfilterPacket(family, live.Name, nat.OutInterface, nat.Source, null, null, null, "new");
            if (NetfilterEvaluator.SourceNat(snapshot.Ruleset, packet) is null)
            {
                drift.Add(Drift(FamilyCheckNames.Of("masquerade", family, nat.OutInterface), $"planned masquerade of {nat.Source} out of {nat.OutInterface} is not in the live rules",
                    MasqueradeFixes.Iptables(family, [nat.Source], nat.OutInterface)));
            }
        }
        foreach (var sysctl in planned.Sysctls)
        {
            var key = ProcPath(sysctl.Name);
            if (snapshot.Sysctls.TryGetValue(key, out var value) && value != sysctl.Value)
            {
                drift.Add(Drift("sysctl", $"planned {sysctl.Name} = {sysctl.Value}, live {value}", $"sysctl -w {sysctl.Name}={sysctl.Value}"));
            }
        }
        if (planned.FlowPolicy is { } policy)
        {
            drift.AddRange(FlowPolicyCheck.Run(snapshot, live.Name, planned, policy));
        }
        return drift.Count == 0 ? [DoctorFinding.Ok("drift", $"{live.Name} matches the plan for {planned.Node}")] : drift;
    }

    /// <summary>A sysctl name as its path under /proc/sys: dots are separators, a slash a dot inside a name (eth0/100 is eth0.100).</summary>
    private static string ProcPath(string name) => string.Concat(name.Select(c => c switch { '.' => '/', '/' => '.', _ => c }));

    /// <summary>
    /// One planned peer against the live ones: found by its public key when the plan knows it, else by its AllowedIPs.
    /// Prefixes the failover agent moves between relays are left out of the comparison (<see cref="FailoverDrift"/> checks them).
    /// </summary>
    private static IEnumerable<DoctorFinding> PeerDrift(WireGuardInterfaceState live, ExpectedPeer peer, IReadOnlyList<IPNetwork> carried)
    {
        var name = peer.Name;
        List<string> Own(IEnumerable<string> allowedIps) => [.. allowedIps.Where(a => !carried.Any(c => c.ToString() == a)).Order(StringComparer.Ordinal)];
        var allowed = Own(peer.AllowedIps.Select(a => a.ToString()));
        var match = peer.PublicKey is { } key
            ? live.Peers.FirstOrDefault(p => p.PublicKey == key)
            : live.Peers.FirstOrDefault(p => Own(p.AllowedIps).SequenceEqual(allowed));
        if (match is null)
        {
            yield return Drift($"peer {name}", peer.PublicKey is not null
                ? $"planned peer {name} ({peer.PublicKey}) is not configured"
                : $"no live peer has the planned AllowedIPs of {name}: {string.Join(", ", allowed)} (live: {string.Join(" | ", live.Peers.Select(p => string.Join(", ", p.AllowedIps)))})");
            yield break;
        }
        var liveAllowed = Own(match.AllowedIps);
        if (!liveAllowed.SequenceEqual(allowed))
        {
            var uncovered = allowed.Except(liveAllowed).ToList();
            yield return Drift($"peer {name}", $"planned AllowedIPs {string.Join(", ", allowed)}, live {string.Join(", ", liveAllowed)}"
                + (uncovered.Count == 0 ? "" : $": {string.Join(", ", uncovered)} is no longer sent to {name} nor accepted from it (what {live.Name} routes there and no peer takes is dropped)"),
                $"wg set {live.Name} peer {match.PublicKey} allowed-ips {string.Join(',', [.. allowed, .. match.AllowedIps.Where(a => carried.Any(c => c.ToString() == a))])}");
        }
        if (peer.PersistentKeepalive != match.PersistentKeepalive)
        {
            yield return Drift($"peer {name}", $"planned PersistentKeepalive {peer.PersistentKeepalive?.ToString(CultureInfo.InvariantCulture) ?? "off"}, live {match.PersistentKeepalive?.ToString(CultureInfo.InvariantCulture) ?? "off"}",
                $"wg set {live.Name} peer {match.PublicKey} persistent-keepalive {peer.PersistentKeepalive?.ToString(CultureInfo.InvariantCulture) ?? "off"}");
        }
        if (peer.Endpoint is { } endpoint && match.Endpoint is null)
        {
            yield return Drift($"peer {name}", $"planned Endpoint {endpoint}, live none", $"wg set {live.Name} peer {match.PublicKey} endpoint {endpoint}");
        }
    }

    /// <summary>Each prefix the failover agent carries must be on exactly one live peer (the active relay's).</summary>
    private static IEnumerable<DoctorFinding> FailoverDrift(WireGuardInterfaceState live, IReadOnlyList<IPNetwork> carried) =>
        carried.Where(prefix => live.Peers.Count(p => p.AllowedIps.Contains(prefix.ToString())) != 1)
            .Select(prefix => Drift("failover", $"{prefix} is carried by the failover agent and must be in the AllowedIPs of exactly one relay's peer; live: {live.Peers.Count(p => p.AllowedIps.Contains(prefix.ToString()))}",
                $"systemctl restart sitewire-failover@{live.Name} (the agent puts it on the relay that answers)"));

    private static DoctorFinding Drift(string what, string message, params string[] fixes) =>
        DoctorFinding.Problem("drift " + what, message, fixes);
}
