using System.Net;
using System.Net.Sockets;
using Sitewire.Config.Topology;
using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Verify.Checks;

/// <summary>
/// The tunnel MTU plus WireGuard's outer headers must fit the path's MTU (1500, ethernet): 60 bytes over IPv4
/// (20 IP + 8 UDP + 32 WireGuard), 80 over IPv6. Above the budget, full-size packets are fragmented or dropped.
/// </summary>
internal static class MtuCheck
{
    public const int PathMtu = 1500;
    public const int Ipv4Overhead = 60;
    public const int Ipv6Overhead = 80;

    public static IEnumerable<Finding> Run(NetworkPlan plan)
    {
        var notIpv4 = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var nodePlan in plan.Nodes)
        {
            var mtu = nodePlan.Config.Interface.Mtu ?? NetworkSettings.DefaultMtu;
            var mayUseIpv6 = nodePlan.Config.Peers.Any(p => p.Endpoint is { } endpoint && NotIpv4(endpoint, notIpv4));
            if (mtu + Ipv4Overhead > PathMtu)
            {
                yield return Over(plan, nodePlan, mtu, Ipv4Overhead, Severity.Error, "IPv4");
            }
            else if (mayUseIpv6 && mtu + Ipv6Overhead > PathMtu)
            {
                yield return Over(plan, nodePlan, mtu, Ipv6Overhead, Severity.Warning, "IPv6 (an endpoint is a host name or IPv6)");
            }
        }
    }

    private static Finding Over(NetworkPlan plan, NodePlan nodePlan, int mtu, int overhead, Severity severity, string outer) =>
        new(severity, "mtu-budget", nodePlan.Name, "network.mtu", plan.Topology.Location,
            $"{nodePlan.Name}'s tunnel MTU {mtu} + {overhead} bytes of WireGuard over {outer} = {mtu + overhead} exceeds the path MTU {PathMtu}",
            $"set network.mtu to {PathMtu - overhead} or less");

    private static bool NotIpv4(string endpoint, Dictionary<string, bool> known)
    {
        if (!known.TryGetValue(endpoint, out var result))
        {
            result = !IsIpv4Literal(endpoint);
            known.Add(endpoint, result);
        }
        return result;
    }

    private static bool IsIpv4Literal(string endpoint)
    {
        var host = endpoint.StartsWith('[') ? endpoint : endpoint.Split(':')[0];
        return IPAddress.TryParse(host, out var address) && address.AddressFamily == AddressFamily.InterNetwork;
    }
}
