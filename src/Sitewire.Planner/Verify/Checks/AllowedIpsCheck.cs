using System.Buffers.Binary;
using System.Net;
using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Verify.Checks;

/// <summary>
/// One prefix in the AllowedIPs of two peers on one node: WireGuard silently keeps it for the last peer only. The
/// finding points at the field of the node that claimed it second (its address or its LAN subnets).
/// </summary>
internal static class AllowedIpsCheck
{
    public static IEnumerable<Finding> Run(NetworkPlan plan)
    {
        var owners = new Dictionary<(UInt128 Network, int Length), string>();
        foreach (var nodePlan in plan.Nodes)
        {
            owners.Clear();
            foreach (var peer in nodePlan.Config.Peers)
            {
                var name = peer.Name ?? peer.PublicKey.ToBase64();
                foreach (var prefix in peer.AllowedIps)
                {
                    var id = Identity(prefix);
                    if (owners.TryGetValue(id, out var earlier) && earlier != name)
                    {
                        var culprit = plan.Topology.FindNode(name) ?? nodePlan.Node;
                        var field = prefix.PrefixLength == 32 && prefix.BaseAddress.Equals(culprit.OverlayAddress) ? "address" : "lan.subnets";
                        yield return new Finding(Severity.Error, "allowed-ips-overlap", nodePlan.Name, FieldPaths.Node(plan.Topology, culprit, field), culprit.Location,
                            $"on {nodePlan.Name}, {prefix} is in the AllowedIPs of peers {earlier} and {name}: WireGuard moves it to {name} and {earlier} loses it",
                            $"route {prefix} through one peer only (two sites must not claim the same subnet)");
                    }
                    owners[id] = name;
                }
            }
        }
    }

    /// <summary>The prefix as integers (IPv4 in the low bits, IPv6 lengths offset by 64 so the families never collide).</summary>
    private static (UInt128, int) Identity(IPNetwork prefix)
    {
        Span<byte> bytes = stackalloc byte[16];
        prefix.BaseAddress.TryWriteBytes(bytes, out var written);
        return written == 4
            ? (BinaryPrimitives.ReadUInt32BigEndian(bytes), prefix.PrefixLength)
            : (BinaryPrimitives.ReadUInt128BigEndian(bytes), prefix.PrefixLength + 64);
    }
}
