using Sitewire.Netfilter;

namespace Sitewire.Host.Doctor.Checks;

/// <summary>
/// Per family the interface carries: a route through the interface for every allowed-ip (in any table: wg-quick
/// puts 0.0.0.0/0 and ::/0 in its own). And IPv4's rp_filter (IPv6 has no such sysctl).
/// </summary>
internal static class RouteChecks
{
    public static IEnumerable<DoctorFinding> Run(DoctorContext context)
    {
        var tunnelRoutes = context.Snapshot.Routes.Where(r => r.Device == context.Name).ToList();
        foreach (var family in context.Families)
        {
            var missing = context.AllowedIps(family).Where(allowed => !tunnelRoutes.Any(r => r.Covers(allowed))).ToList();
            yield return missing.Count == 0
                ? DoctorFinding.Ok(FamilyCheckNames.Of("routes", family), $"every {family.Name} allowed-ip is routed through {context.Name}")
                : DoctorFinding.Problem(FamilyCheckNames.Of("routes", family), $"{family.Name} allowed-ips without a route through {context.Name}: {string.Join(", ", missing)}; traffic to them leaves another way (or nowhere)",
                    [.. missing.Select(m => $"{family.IpCommand} route add {m} dev {context.Name}")]);
        }
        if (StrictRpFilter(context, context.Name))
        {
            var unrouted = context.RemoteSources(IpFamily.V4).Where(s => !tunnelRoutes.Any(r => r.Table == "main" && r.Covers(s))).ToList();
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
}
