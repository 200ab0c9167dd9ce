using System.Globalization;
using System.Text;

namespace Sitewire.Planner.Verify;

/// <summary>Generated topologies for the scale benchmarks and tests: a full mesh of sites with endpoints, and a hub with all-pairs flows.</summary>
internal static class SyntheticTopologies
{
    /// <summary><paramref name="sites"/> sites, each with a public endpoint, a /24 LAN and one host; one flow from each host to the next site's host.</summary>
    public static string Mesh(int sites)
    {
        var text = Header("mesh", "10.200.0.0/20");
        AppendSites(text, sites, withEndpoints: true);
        text.Append("flows:\n");
        for (var i = 0; i < sites; i++)
        {
            text.Append(Invariant($"  - from: h{i}\n    to: h{(i + 1) % sites}:80/tcp\n"));
        }
        return text.ToString();
    }

    /// <summary>A relay and <paramref name="sites"/> sites behind NAT, each with a /24 LAN and one host; a flow between every ordered pair of hosts.</summary>
    public static string HubAllPairs(int sites)
    {
        var text = Header("hub", "10.200.0.0/20");
        AppendSites(text, sites, withEndpoints: false);
        text.Append("flows:\n");
        for (var i = 0; i < sites; i++)
        {
            for (var j = 0; j < sites; j++)
            {
                if (i != j)
                {
                    text.Append(Invariant($"  - from: h{i}\n    to: h{j}:80/tcp\n"));
                }
            }
        }
        return text.ToString();
    }

    private static StringBuilder Header(string shape, string overlay) => new StringBuilder()
        .Append(Invariant($"network:\n  overlay: {overlay}\n  persistent_keepalive: 25\n  shape: {shape}\n  hub: relay\n"))
        .Append("nodes:\n  - name: relay\n    role: relay\n    os: rocky\n    endpoint: 203.0.113.10:51820\n");

    private static void AppendSites(StringBuilder text, int sites, bool withEndpoints)
    {
        for (var i = 0; i < sites; i++)
        {
            var (high, low) = (i / 250, i % 250);
            text.Append(Invariant($"  - name: s{i}\n    role: site\n"));
            text.Append(withEndpoints ? Invariant($"    endpoint: 198.18.{high}.{low + 1}:51820\n") : "    behind_nat: true\n");
            text.Append(Invariant($"    lan:\n      interface: eth1\n      address: 10.{high}.{low}.1/24\n      subnets: [10.{high}.{low}.0/24]\n    nat: masquerade\n"));
        }
        text.Append("hosts:\n");
        for (var i = 0; i < sites; i++)
        {
            var (high, low) = (i / 250, i % 250);
            text.Append(Invariant($"  - name: h{i}\n    site: s{i}\n    address: 10.{high}.{low}.10\n    gateway: node\n    services: [80/tcp]\n"));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
