using Sitewire.Config.Topology;
using Sitewire.Host.Linux;
using Sitewire.Planner.Plan;
using Sitewire.Text;

namespace Sitewire.Host.Doctor.Checks;

/// <summary>
/// Compares the live interface with the node's plan: addresses, listen port, MTU, each planned peer (found by
/// its public key when the topology declares it, else by its allowed-ips) with its allowed-ips, endpoint and
/// keepalive, the planned masquerade rules (IPv4 and IPv6) and sysctls (IPv6 forwarding too), and the flow policy's rules
/// (<see cref="FlowPolicyCheck"/>). Each difference is a problem naming plan and live values.
/// </summary>
public static class DriftCheck
{
    public static IEnumerable<DoctorFinding> Run(NodeSnapshot snapshot, WireGuardInterfaceState live, NetworkPlan plan, NodePlan node)
    {
        var drift = new List<DoctorFinding>();
        var planned = node.Config;
        var liveAddresses = snapshot.Addresses.Where(a => a.Interface == live.Name).Select(a => $"{a.Address}/{a.PrefixLength}").ToHashSet();
        foreach (var address in planned.Interface.Addresses.Select(a => a.ToString()).Where(a => !liveAddresses.Contains(a)))
        {
            drift.Add(Drift("address", $"planned Address {address} is not on {live.Name} (live: {string.Join(", ", liveAddresses)})", $"ip address add {address} dev {live.Name}"));
        }
        if (planned.Interface.ListenPort is { } port && port != live.ListenPort)
        {
            drift.Add(Drift("listen port", $"planned ListenPort {port}, live {live.ListenPort}", $"wg set {live.Name} listen-port {port}"));
        }
        if (planned.Interface.Mtu is { } mtu && snapshot.Link(live.Name) is { } link && link.Mtu != mtu)
        {
            drift.Add(Drift("mtu", $"planned MTU {mtu}, live {link.Mtu}", $"ip link set {live.Name} mtu {mtu}"));
        }
        foreach (var peer in planned.Peers)
        {
            drift.AddRange(PeerDrift(plan, live, peer));
        }
        if (live.Peers.Count > planned.Peers.Count)
        {
            drift.Add(Drift("peers", $"{live.Peers.Count} peers live, {planned.Peers.Count} planned"));
        }
        foreach (var nat in node.Rules.Nat)
        {
            var family = IpFamily.Of(nat.SourcePrefix.BaseAddress);
            var packet = new NetfilterPacket(family, live.Name, nat.OutInterface, nat.SourcePrefix, null, null, null, "new");
            if (NetfilterEvaluator.SourceNat(snapshot.Ruleset, packet) is null)
            {
                drift.Add(Drift(FamilyCheckNames.Of("masquerade", family, nat.OutInterface), $"planned masquerade of {nat.SourcePrefix} out of {nat.OutInterface} is not in the live rules",
                    $"{family.Iptables} -t nat -A POSTROUTING -s {nat.SourcePrefix} -o {ShellWord.Quote(nat.OutInterface)} -j MASQUERADE"));
            }
        }
        foreach (var sysctl in node.Rules.Sysctls)
        {
            var key = ProcPath(sysctl.Name);
            if (snapshot.Sysctls.TryGetValue(key, out var value) && value != sysctl.Value)
            {
                drift.Add(Drift("sysctl", $"planned {sysctl.Name} = {sysctl.Value}, live {value}", $"sysctl -w {sysctl.Name}={sysctl.Value}"));
            }
        }
        if (node.Rules.Firewall.FlowPolicy is { } policy)
        {
            drift.AddRange(FlowPolicyCheck.Run(snapshot, live.Name, node, policy));
        }
                return drift.Count == 0 ? [DoctorFinding.Ok("drift", $"{live.Name} matches the plan for {node.Name}")] : drift;
    }

    /// <summary>A sysctl name as its path under /proc/sys: dots are separators, a slash a dot inside a name (eth0/100 is eth0.100).</summary>
    private static string ProcPath(string name) => string.Concat(name.Select(c => c switch { '.' => '/', '/' => '.', _ => c }));

    private static IEnumerable<DoctorFinding> PeerDrift(NetworkPlan plan, WireGuardInterfaceState live, Config.WgQuick.WgQuickPeer peer)
    {
        var name = peer.Name ?? "peer";
        var allowed = peer.AllowedIps.Select(a => a.ToString()).Order(StringComparer.Ordinal).ToList();
        var declaredKey = peer.Name is null ? null : plan.Topology.FindNode(peer.Name)?.PublicKey?.ToBase64();
        var match = declaredKey is not null
            ? live.Peers.FirstOrDefault(p => p.PublicKey == declaredKey)
            : live.Peers.FirstOrDefault(p => p.AllowedIps.Order(StringComparer.Ordinal).SequenceEqual(allowed));
        if (match is null)
        {
            yield return Drift($"peer {name}", declaredKey is not null
                ? $"planned peer {name} ({declaredKey}) is not configured"
                : $"no live peer has the planned AllowedIPs of {name}: {string.Join(", ", allowed)} (live: {string.Join(" | ", live.Peers.Select(p => string.Join(", ", p.AllowedIps)))})");
            yield break;
        }
        var liveAllowed = match.AllowedIps.Order(StringComparer.Ordinal).ToList();
        if (!liveAllowed.SequenceEqual(allowed))
        {
            yield return Drift($"peer {name}", $"planned AllowedIPs {string.Join(", ", allowed)}, live {string.Join(", ", liveAllowed)}",
                $"wg set {live.Name} peer {match.PublicKey} allowed-ips {string.Join(',', allowed)}");
        }
        if (peer.PersistentKeepalive != match.PersistentKeepalive)
        {
            yield return Drift($"peer {name}", $"planned PersistentKeepalive {peer.PersistentKeepalive?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "off"}, live {match.PersistentKeepalive?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "off"}",
                $"wg set {live.Name} peer {match.PublicKey} persistent-keepalive {peer.PersistentKeepalive?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "off"}");
        }
        if (peer.Endpoint is { } endpoint && match.Endpoint is null)
        {
            yield return Drift($"peer {name}", $"planned Endpoint {endpoint}, live none", $"wg set {live.Name} peer {match.PublicKey} endpoint {endpoint}");
        }
    }

    private static DoctorFinding Drift(string what, string message, params string[] fixes) =>
        DoctorFinding.Problem("drift " + what, message, fixes);
}
