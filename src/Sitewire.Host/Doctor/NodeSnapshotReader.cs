using System.Text.Json;
using Sitewire.Host.Lab;
using Sitewire.Host.Linux;
using Sitewire.Host.Processes;

namespace Sitewire.Host.Doctor;

/// <summary>
/// Reads the live node: `wg show all dump`, `ip -j` links/addresses/routes (IPv4 and IPv6, all tables), `nft -j list ruleset`
/// with iptables-nft's extension tables from `iptables-save`/`ip6tables-save` (see <see cref="IptablesNftTables"/>), plus
/// `iptables-save`/`ip6tables-save` when iptables uses the legacy backend (whose rules nft cannot see), sysctls from
/// /proc/sys, `ip route get` for each peer endpoint, and firewalld through `firewall-cmd` when it runs.
/// </summary>
public static class NodeSnapshotReader
{
    public static NodeSnapshot Capture()
    {
        var dump = Shell.Run("wg", "show", "all", "dump");
        if (!dump.Succeeded)
        {
            throw new InvalidOperationException($"`wg show all dump` failed: {dump.StandardError.Trim()}");
        }
        var wireGuard = WireGuardDump.Parse(dump.StandardOutput);
        var links = IpJson.ParseLinks(Shell.Check("ip", "-j", "-d", "link", "show"));
        return new NodeSnapshot(
            wireGuard,
            links,
            IpJson.ParseAddresses(Shell.Check("ip", "-j", "addr", "show")),
            [.. Routes(IpFamily.V4), .. Routes(IpFamily.V6)],
            Ruleset(),
            Sysctls(links),
            EndpointRoutes(wireGuard),
            Firewalld(),
            DateTimeOffset.UtcNow);
    }

    /// <summary>The routes of one family; none when the kernel has that family disabled (`ip -6` then fails).</summary>
    private static IReadOnlyList<RouteState> Routes(IpFamily family)
    {
        var result = Shell.Run("ip", "-j", family.IpOption, "route", "show", "table", "all");
        return family == IpFamily.V6 && !result.Succeeded ? [] : IpJson.ParseRoutes(result.EnsureSuccess().StandardOutput, family);
    }

    private static NetfilterRuleset Ruleset()
    {
        var backends = IpFamily.Both.ToDictionary(family => family, IptablesBackend);
        var ruleset = Dependencies.Which("nft") is not null && Shell.Run("nft", "-j", "list", "ruleset") is { Succeeded: true } nft
            ? IptablesNftTables.Read(nft.StandardOutput, family => backends[family] == "nf_tables" ? SavedRules(family) : null)
            : NetfilterRuleset.Empty;
        foreach (var family in IpFamily.Both.Where(family => backends[family] == "legacy"))
        {
            if (SavedRules(family) is { } saved)
            {
                ruleset = ruleset.Merge(IptablesSave.Parse(saved, family.Nft));
            }
        }
        return ruleset;
    }

    /// <summary>"legacy" or "nf_tables" as `iptables -V` says (e.g. "iptables v1.8.9 (nf_tables)"), null without the tool.</summary>
    private static string? IptablesBackend(IpFamily family) =>
        Dependencies.Which(family.Iptables) is null ? null
        : Shell.Run(family.Iptables, "-V").StandardOutput switch
        {
            var version when version.Contains("legacy", StringComparison.Ordinal) => "legacy",
            var version when version.Contains("nf_tables", StringComparison.Ordinal) => "nf_tables",
            _ => null,
        };

    private static string? SavedRules(IpFamily family) =>
        Shell.Run(family.Iptables + "-save") is { Succeeded: true } save ? save.StandardOutput : null;

    private static Dictionary<string, string> Sysctls(IEnumerable<LinkState> links)
    {
        var keys = new List<string> { IpFamily.V4.ForwardingSysctlPath, IpFamily.V6.ForwardingSysctlPath, "net/ipv4/conf/all/rp_filter", "net/ipv4/conf/all/src_valid_mark", "net/ipv4/conf/all/send_redirects" };
        keys.AddRange(links.SelectMany(l => new[] { $"net/ipv4/conf/{l.Name}/rp_filter", $"net/ipv4/conf/{l.Name}/send_redirects" }));
        var values = new Dictionary<string, string>();
        foreach (var key in keys)
        {
            var path = Path.Combine("/proc/sys", key);
            if (File.Exists(path))
            {
                values[key] = File.ReadAllText(path).Trim();
            }
        }
        return values;
    }

    private static Dictionary<string, EndpointRoute> EndpointRoutes(IEnumerable<WireGuardInterfaceState> interfaces)
    {
        var routes = new Dictionary<string, EndpointRoute>();
        foreach (var host in interfaces.SelectMany(i => i.Peers).Select(p => p.Endpoint).OfType<string>().Select(EndpointHost).Distinct())
        {
            var result = Shell.Run("ip", "-j", "route", "get", host);
            if (!result.Succeeded)
            {
                routes[host] = new EndpointRoute(null, null, result.StandardError.Trim());
                continue;
            }
            using var document = JsonDocument.Parse(result.StandardOutput);
            var first = document.RootElement[0];
            routes[host] = new EndpointRoute(
                first.TryGetProperty("dev", out var dev) ? dev.GetString() : null,
                first.TryGetProperty("prefsrc", out var source) ? source.GetString() : null,
                null);
        }
        return routes;
    }

    /// <summary>The address part of an endpoint "1.2.3.4:51820" or "[2001:db8::1]:51820".</summary>
    public static string EndpointHost(string endpoint) =>
        endpoint.StartsWith('[') ? endpoint[1..endpoint.IndexOf(']', StringComparison.Ordinal)] : endpoint[..endpoint.LastIndexOf(':')];

    private static FirewalldState? Firewalld() =>
        Dependencies.Which("firewall-cmd") is null ? null : FirewalldReader.Read(arguments => Shell.Run("firewall-cmd", arguments));
}
