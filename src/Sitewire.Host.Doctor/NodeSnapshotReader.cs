using System.Text.Json;
using Sitewire.Host.Linux;
using Sitewire.Host.Processes;
using Sitewire.Netfilter;

namespace Sitewire.Host.Doctor;

/// <summary>
/// Reads the live node: `wg show all dump`, `ip -j` links/addresses/routes (IPv4 and IPv6, all tables), `ip rule show`, `nft -j list ruleset`
/// with iptables-nft's extension tables from `iptables-nft-save`/`ip6tables-nft-save` (see <see cref="IptablesNftTables"/>), plus
/// iptables-legacy's tables from `iptables-legacy-save`/`ip6tables-legacy-save` (rules nft cannot see), sysctls from
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
            [.. Rules(IpFamily.V4), .. Rules(IpFamily.V6)],
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

    /// <summary>The policy routing rules of one family; none when the kernel has that family disabled.</summary>
    private static IReadOnlyList<PolicyRuleState> Rules(IpFamily family)
    {
        var result = Shell.Run("ip", family.IpOption, "rule", "show");
        return family == IpFamily.V6 && !result.Succeeded ? [] : PolicyRules.Parse(result.EnsureSuccess().StandardOutput, family);
    }

    /// <summary>
    /// nftables' ruleset (iptables-nft's tables among it) and iptables-legacy's tables of both families: the kernel runs
    /// both, and a host may hold rules in each (a tool or container runtime built against the other backend).
    /// </summary>
    private static NetfilterRuleset Ruleset()
    {
        var ruleset = Executables.Which("nft") is not null && Shell.Run("nft", "-j", "list", "ruleset") is { Succeeded: true } nft
            ? IptablesNftTables.Read(nft.StandardOutput, family => SavedRules(family, legacy: false))
            : NetfilterRuleset.Empty;
        foreach (var family in IpFamily.Both)
        {
            if (SavedRules(family, legacy: true) is { } saved)
            {
                ruleset = ruleset.Merge(IptablesSave.Parse(saved, family.Nft, legacy: true));
            }
        }
        return ruleset;
    }

    /// <summary>
    /// One backend's `iptables-save` output: `iptables-legacy-save`/`iptables-nft-save` where installed, else `iptables-save`
    /// when `iptables -V` names that backend (e.g. "iptables v1.8.9 (nf_tables)"); null when neither can be read.
    /// </summary>
    private static string? SavedRules(IpFamily family, bool legacy)
    {
        var named = $"{family.Iptables}-{(legacy ? "legacy" : "nft")}-save";
        var tool = Executables.Which(named) is not null ? named
            : Executables.Which(family.Iptables) is not null && Shell.Run(family.Iptables, "-V").StandardOutput.Contains(legacy ? "legacy" : "nf_tables", StringComparison.Ordinal) ? family.Iptables + "-save"
            : null;
        return tool is not null && Shell.Run(tool) is { Succeeded: true } save ? save.StandardOutput : null;
    }

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
        Executables.Which("firewall-cmd") is null ? null : FirewalldReader.Read(arguments => Shell.Run("firewall-cmd", arguments));
}
