using Sitewire.Config.Topology;
using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Verify.Checks;

/// <summary>
/// LAN hosts whose gateway cannot carry tunnel traffic: a routed site (sources kept) whose host's router has no route
/// back; a host that opens flows into the tunnel through a router that does not know it. (A gateway off the host's own
/// segment is refused when the topology loads: see <c>LanSettings.SegmentOf</c>.)
/// </summary>
internal static class LanGatewayChecks
{
    public static IEnumerable<Finding> Run(NetworkPlan plan)
    {
        var topology = plan.Topology;
        var initiators = topology.Flows.Where(f => f.Expect == FlowExpectation.Allow).Select(f => f.From).ToHashSet(StringComparer.Ordinal);
        foreach (var host in topology.Hosts)
        {
            if (topology.FindNode(host.Site) is not { } node)
            {
                continue;
            }
            var lanAddress = node.Lan?.Address?.ToString() ?? "its LAN address";
            if (host.Gateway == GatewayKind.RouterWithoutRoute && node.Nat == NatMode.Routed)
            {
                yield return new Finding(Severity.Error, "routed-without-route-back", node.Name, FieldPaths.Host(topology, host, "gateway"), host.Location,
                    $"{node.Name} is routed (tunnel sources kept), but {host.Name}'s gateway router has no route back to the tunnel: its replies are lost",
                    $"set nat: masquerade on {node.Name}, or route the remote prefixes via {lanAddress} on the router (gateway: router-with-route)");
            }
            if (host.Gateway == GatewayKind.RouterWithoutRoute && initiators.Contains(host.Name))
            {
                yield return new Finding(Severity.Error, "gateway-without-tunnel-route", node.Name, FieldPaths.Host(topology, host, "gateway"), host.Location,
                    $"{host.Name} opens flows into the tunnel, but its gateway router knows no way to it: the packets leave to the internet",
                    $"set {host.Name}'s gateway to {node.Name} ({lanAddress}), or route the remote prefixes via {lanAddress} on its router");
            }
        }
    }
}
