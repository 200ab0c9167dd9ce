using System.Text.Json;

namespace Sitewire.Host.Lab;

/// <summary>
/// Cuts a lab relay off the internet and brings it back: its uplink (the default route's device) down in its namespace,
/// then up with its default routes put back (a link going down takes them away). The engine keeps running, as on a
/// host whose network failed. <see cref="Flap"/> does it every other second, timed by one shell in the relay's namespace.
/// </summary>
public sealed class LabRelayOutage(LabState state, string relay)
{
    /// <summary>`up ROUTE...`: the uplink ($dev) up and each default route put back.</summary>
    private const string UpFunction = "up() { ip link set dev \"$dev\" up || return; for route in \"$@\"; do ip $route || return; done; }; ";

    private readonly IReadOnlyList<string> _defaultRoutes = DefaultRoutes(state, relay);

    /// <summary>The relay's uplink: the device of its default route.</summary>
    public string Uplink { get; } = DefaultRouteDevice(state, relay);

    public DateTimeOffset CutOff()
    {
        LabExec.Run(state, relay, ["ip", "link", "set", "dev", Uplink, "down"]).EnsureSuccess();
        return DateTimeOffset.UtcNow;
    }

    public DateTimeOffset Restore()
    {
        LabExec.Run(state, relay, ["sh", "-c", UpFunction + "dev=$0; up \"$@\"", Uplink, .. _defaultRoutes]).EnsureSuccess();
        return DateTimeOffset.UtcNow;
    }

    /// <summary>The uplink down for a second and up for a second, <paramref name="cycles"/> times; returns when it is up for good.</summary>
    public DateTimeOffset Flap(int cycles)
    {
        const string loop = "dev=$0; cycles=$1; shift; i=0; while [ $i -lt \"$cycles\" ]; do ip link set dev \"$dev\" down || exit; sleep 1; up \"$@\" || exit; sleep 1; i=$((i+1)); done";
        LabExec.Run(state, relay, ["sh", "-c", UpFunction + loop, Uplink, cycles.ToString(System.Globalization.CultureInfo.InvariantCulture), .. _defaultRoutes],
            TimeSpan.FromSeconds(2 * cycles + 30)).EnsureSuccess();
        return DateTimeOffset.UtcNow;
    }

    private static string DefaultRouteDevice(LabState state, string relay)
    {
        var routes = LabExec.Run(state, relay, ["ip", "-j", "route", "show", "default"]).EnsureSuccess().StandardOutput;
        using var json = JsonDocument.Parse(routes);
        return json.RootElement.EnumerateArray().Select(route => route.GetProperty("dev").GetString()).First(dev => dev is not null)!;
    }

    /// <summary>`route replace ...` lines for every IPv4 and IPv6 default route, as `ip route show` prints them.</summary>
    private static List<string> DefaultRoutes(LabState state, string relay) =>
    [
        .. new[] { "-4", "-6" }.SelectMany(family => LabExec.Run(state, relay, ["ip", family, "route", "show", "default"]).EnsureSuccess().StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => $"{family} route replace {line}")),
    ];
}
