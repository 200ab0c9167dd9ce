using System.Globalization;
using Sitewire.Config.Topology;
using Sitewire.Host.Processes;

namespace Sitewire.Host.Lab;

/// <summary>A node's MTU facts for the lab: its <c>uplink_mtu</c> (null: ethernet's) and whether it drops the ICMP errors it sends (<c>drops_icmp</c>).</summary>
public sealed record LabNodeMtu(string Node, int? UplinkMtu, bool DropsIcmp);

/// <summary>
/// Puts a topology's MTU facts in place after the wires: each wire on a node's way to the internet (node ↔ internet, or
/// node ↔ its NAT router ↔ internet) gets the node's <c>uplink_mtu</c> at both ends, as a PPPoE or VPN link has it, so
/// routers on it send fragmentation-needed as real ones do; a node with <c>drops_icmp</c> gets an nft table dropping the
/// ICMP fragmentation-needed and ICMPv6 packet-too-big it sends (a hardening that breaks path MTU discovery through it).
/// LAN hosts and LAN wires keep ethernet's 1500.
/// </summary>
public static class LabPathMtu
{
    public const string IcmpDropTable = "sitewire_lab_icmp";

    public static IReadOnlyList<LabNodeMtu> For(Topology topology) =>
        [.. topology.Nodes.Where(node => node.UplinkMtu is not null || node.DropsIcmp).Select(node => new LabNodeMtu(node.Name, node.UplinkMtu, node.DropsIcmp))];

    /// <summary>The nft script of <c>drops_icmp</c>: ICMP errors that path MTU discovery needs, dropped on their way out.</summary>
    public static string IcmpDropScript =>
        $"table inet {IcmpDropTable} {{ chain output {{ type filter hook output priority 0; policy accept; icmp type destination-unreachable icmp code frag-needed drop; icmpv6 type packet-too-big drop; }}; }}\n";

    public static void Apply(LabBlueprint blueprint, LabState state, Action<string> log)
    {
        foreach (var node in blueprint.NodeMtus)
        {
            if (node.UplinkMtu is { } mtu)
            {
                foreach (var end in UplinkEnds(blueprint, node.Node))
                {
                    Shell.Run("ip", "-n", state.NamespaceOf(end.Host), "link", "set", "dev", end.Name, "mtu", mtu.ToString(CultureInfo.InvariantCulture)).EnsureSuccess();
                }
            }
            if (node.DropsIcmp)
            {
                Shell.Run("ip", ["netns", "exec", state.NamespaceOf(node.Node), "nft", "-f", "-"], standardInput: IcmpDropScript).EnsureSuccess();
            }
        }
        if (blueprint.NodeMtus.Count > 0)
        {
            log("[lab] path MTU: " + string.Join(", ", blueprint.NodeMtus.Select(n =>
                $"{n.Node}{(n.UplinkMtu is { } mtu ? $" uplink mtu {mtu}" : "")}{(n.DropsIcmp ? " drops the ICMP errors it sends" : "")}")));
        }
    }

    /// <summary>Both ends of every wire between the node and the internet: its own uplink, and its NAT router's two sides.</summary>
    private static IEnumerable<LabInterface> UplinkEnds(LabBlueprint blueprint, string node)
    {
        bool IsWay(string host) => blueprint.Host(host).Role is LabRole.Internet or LabRole.NatRouter;
        var routers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var wire in blueprint.Wires)
        {
            var (near, far) = wire.A.Host == node ? (wire.A, wire.B) : wire.B.Host == node ? (wire.B, wire.A) : (null, null);
            if (near is not null && far is not null && IsWay(far.Host))
            {
                if (blueprint.Host(far.Host).Role == LabRole.NatRouter)
                {
                    routers.Add(far.Host);
                }
                yield return near;
                yield return far;
            }
        }
        foreach (var wire in blueprint.Wires.Where(w => routers.Contains(w.A.Host) && blueprint.Host(w.B.Host).Role == LabRole.Internet
            || routers.Contains(w.B.Host) && blueprint.Host(w.A.Host).Role == LabRole.Internet))
        {
            yield return wire.A;
            yield return wire.B;
        }
    }
}
