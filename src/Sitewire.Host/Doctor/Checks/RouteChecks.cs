using System.Net;

namespace Sitewire.Host.Doctor.Checks;

/// <summary>A route through the interface for every allowed-ip (in any table: wg-quick puts 0.0.0.0/0 in its own), and rp_filter.</summary>
internal static class RouteChecks
{
    public static IEnumerable<DoctorFinding> Run(DoctorContext context)
    {
        var tunnelRoutes = context.Snapshot.Routes.Where(r => r.Device == context.Name).ToList();
        var missing = new List<string>();
        foreach (var allowed in context.WireGuard.Peers.SelectMany(p => p.AllowedIps).Distinct())
        {
            var prefix = DoctorContext.ParsePrefix(allowed);
            if (prefix is null || prefix.Value.BaseAddress.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            {
                continue;
            }
            if (!tunnelRoutes.Any(r => Covers(r.Destination, prefix.Value)))
            {
                missing.Add(allowed);
            }
        }
        yield return missing.Count == 0
            ? DoctorFinding.Ok("routes", $"every allowed-ip is routed through {context.Name}")
            : DoctorFinding.Problem("routes", $"allowed-ips without a route through {context.Name}: {string.Join(", ", missing)}; traffic to them leaves another way (or nowhere)",
                [.. missing.Select(m => $"ip route add {m} dev {context.Name}")]);
        var strict = StrictRpFilter(context, context.Name);
        if (strict)
        {
            var unrouted = context.RemoteSources.Where(s => !tunnelRoutes.Any(r => r.Table == "main" && Covers(r.Destination, s))).ToList();
            yield return unrouted.Count == 0
                ? DoctorFinding.Ok("rp_filter", $"rp_filter is strict on {context.Name}, and every tunnel source is routed back through it")
                : DoctorFinding.Problem("rp_filter", $"rp_filter is strict (1) on {context.Name} and {string.Join(", ", unrouted)} is not routed back through it in the main table: the kernel drops those packets",
                    $"sysctl -w net.ipv4.conf.all.rp_filter=2 net.ipv4.conf.{context.Name}.rp_filter=2");
        }
    }

    /// <summary>Effective rp_filter is the maximum of conf/all and conf/IFACE; 1 is strict.</summary>
    public static bool StrictRpFilter(DoctorContext context, string iface) =>
        Math.Max(int.Parse(context.Snapshot.Sysctl("net/ipv4/conf/all/rp_filter"), System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(context.Snapshot.Sysctl($"net/ipv4/conf/{iface}/rp_filter"), System.Globalization.CultureInfo.InvariantCulture)) == 1;

    private static bool Covers(string destination, IPNetwork prefix) =>
        destination == "default"
            ? prefix.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            : DoctorContext.ParsePrefix(destination) is { } route && route.PrefixLength <= prefix.PrefixLength && route.Contains(prefix.BaseAddress);
}
