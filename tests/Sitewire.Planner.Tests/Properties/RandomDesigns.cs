using System.Text;
using CsCheck;

namespace Sitewire.Planner.Tests.Properties;

/// <summary>
/// A random topology: relay r0 (always with an endpoint), sites s1..sN each with 0-2 LAN /24s and
/// an endpoint or not (then behind NAT), clients c1..cK, some overlay addresses pinned, others assigned.
/// A dual-stack design adds an IPv6 overlay (pinned sites pin address_v6 too, off the derived one) and an
/// IPv6 /64 beside each LAN /24.
/// </summary>
internal sealed record RandomDesign(bool Mesh, int Sites, bool[] Reachable, int[] LanCounts, bool[] Pinned, int Clients, int ShuffleSeed, bool DualStack)
{
    public static readonly Gen<RandomDesign> Gen =
        from mesh in CsCheck.Gen.Bool
        from sites in CsCheck.Gen.Int[1, 9]
        from reachable in CsCheck.Gen.Bool.Array[10]
        from lans in CsCheck.Gen.Int[0, 2].Array[10]
        from pinned in CsCheck.Gen.Bool.Array[10]
        from clients in CsCheck.Gen.Int[0, 3]
        from seed in CsCheck.Gen.Int
        from dualStack in CsCheck.Gen.Bool
        select new RandomDesign(mesh, sites, reachable, lans, pinned, clients, seed, dualStack);

    public int NodeCount => 1 + Sites + Clients;

    public string Yaml(bool shuffled = false)
    {
        var nodes = new List<string>
        {
            "  - name: r0\n    role: relay\n    endpoint: 198.51.100.1:51820\n    address: 10.200.0.254\n",
        };
        for (var site = 1; site <= Sites; site++)
        {
            var node = new StringBuilder($"  - name: s{site}\n    role: site\n    os: {(site % 2 == 0 ? "rhel" : "ubuntu")}\n");
            node.Append(Reachable[site] ? $"    endpoint: 198.51.100.{site + 1}:51820\n" : "    behind_nat: true\n");
            if (Pinned[site])
            {
                node.Append($"    address: 10.200.0.{site}\n");
                if (DualStack)
                {
                    node.Append($"    address_v6: fd00:200::1:{site}\n");
                }
            }
            if (LanCounts[site] > 0)
            {
                node.Append("    lan:\n      interface: eth1\n      subnets:\n");
                for (var lan = 0; lan < LanCounts[site]; lan++)
                {
                    node.Append($"        - 10.{site}.{lan}.0/24\n");
                    if (DualStack)
                    {
                        node.Append($"        - fd00:{site}:{lan}::/64\n");
                    }
                }
            }
            nodes.Add(node.ToString());
        }
        for (var client = 1; client <= Clients; client++)
        {
            nodes.Add($"  - name: c{client}\n    role: client\n    behind_nat: true\n");
        }
        if (shuffled)
        {
            var random = new Random(ShuffleSeed);
            nodes = [.. nodes.OrderBy(_ => random.Next())];
        }
        var overlayV6 = DualStack ? "  overlay_v6: fd00:200::/64\n" : "";
        return $"network:\n  overlay: 10.200.0.0/24\n{overlayV6}  shape: {(Mesh ? "mesh" : "hub")}\n  hub: r0\nnodes:\n{string.Concat(nodes)}";
    }
}
