using System.Net;
using System.Text.Json;
using Sitewire.Netfilter;

namespace Sitewire.Host.Linux;

public sealed record LinkState(string Name, bool Up, int Mtu, string Kind);

public sealed record AddressState(string Interface, string Family, string Address, int PrefixLength);

/// <summary>A route from `ip -j -4|-6 route show table all`; <c>Destination</c> is "default" (of <c>Family</c>) or a prefix (host routes get /32 or /128).</summary>
public sealed record RouteState(string Destination, string? Gateway, string? Device, string Table, string Type, IpFamily Family)
{
    /// <summary>True when this route carries every address of <paramref name="prefix"/> (a default route only its own family's).</summary>
    public bool Covers(IPNetwork prefix) =>
        Family.Holds(prefix)
        && (Destination == "default" || (IpFamily.ParsePrefix(Destination) is { } route && route.PrefixLength <= prefix.PrefixLength && route.Contains(prefix.BaseAddress)));
}

/// <summary>Parses the JSON of `ip -j -d link show`, `ip -j addr show` and `ip -j -4|-6 route show table all` (one family per call).</summary>
public static class IpJson
{
    public static IReadOnlyList<LinkState> ParseLinks(string json) =>
        [.. Elements(json).Select(e => new LinkState(
            e.GetProperty("ifname").GetString()!,
            e.TryGetProperty("flags", out var flags) && flags.EnumerateArray().Any(f => f.GetString() == "UP"),
            e.TryGetProperty("mtu", out var mtu) ? mtu.GetInt32() : 0,
            e.TryGetProperty("linkinfo", out var info) && info.TryGetProperty("info_kind", out var kind) ? kind.GetString()! : ""))];

    public static IReadOnlyList<AddressState> ParseAddresses(string json) =>
        [.. Elements(json).SelectMany(e => e.TryGetProperty("addr_info", out var info)
            ? info.EnumerateArray().Where(a => a.TryGetProperty("local", out _)).Select(a => new AddressState(
                e.GetProperty("ifname").GetString()!,
                a.GetProperty("family").GetString()!,
                a.GetProperty("local").GetString()!,
                a.GetProperty("prefixlen").GetInt32()))
            : [])];

    public static IReadOnlyList<RouteState> ParseRoutes(string json, IpFamily family) =>
        [.. Elements(json).Select(e =>
        {
            var destination = e.GetProperty("dst").GetString()!;
            if (destination != "default" && !destination.Contains('/', StringComparison.Ordinal))
            {
                destination += "/" + family.HostPrefixLength.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            return new RouteState(
                destination,
                e.TryGetProperty("gateway", out var gateway) ? gateway.GetString() : null,
                e.TryGetProperty("dev", out var dev) ? dev.GetString() : null,
                e.TryGetProperty("table", out var table) ? table.GetString()! : "main",
                e.TryGetProperty("type", out var type) ? type.GetString()! : "unicast",
                family);
        })];

    private static IEnumerable<JsonElement> Elements(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }
}
