using System.Net.Sockets;
using Sitewire.Config.Topology;

namespace Sitewire.Host.Doctor;

/// <summary>Derives a node's <see cref="DoctorExpectation"/> from its topology entry.</summary>
public static class DoctorExpectations
{
    public static DoctorExpectation For(Node node) =>
        new(node.Lan?.Interface, node.Nat == NatMode.Masquerade, node.BehindNat, node.Role != NodeRole.Client,
            node.LanPrefixes.Any(prefix => prefix.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6), node.MssClamp,
            node.MappedSubnets.Any() ? [.. node.MappedSubnets.Select(subnet => (subnet.Prefix, subnet.MappedAs!.Value))] : null);
}
