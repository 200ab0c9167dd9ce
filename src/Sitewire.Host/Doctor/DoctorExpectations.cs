using System.Net.Sockets;
using Sitewire.Config.Topology;
using Sitewire.Planner.Plan;

namespace Sitewire.Host.Doctor;

/// <summary>Derives a node's <see cref="DoctorExpectation"/> from its topology entry and plan.</summary>
public static class DoctorExpectations
{
    public static DoctorExpectation For(NodePlan nodePlan)
    {
        var node = nodePlan.Node;
        return new(node.Lan?.Interface, node.Nat == NatMode.Masquerade, node.BehindNat, node.Role != NodeRole.Client,
            node.LanPrefixes.Any(prefix => prefix.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6), node.MssClamp,
            nodePlan.Rules.Firewall.FlowPolicy is not null,
            node.MappedSubnets.Any() ? [.. node.MappedSubnets.Select(subnet => (subnet.Prefix, subnet.MappedAs!.Value))] : null);
    }
}
