using System.Text.Json;

namespace Sitewire.Host.Lab;

/// <summary>
/// Cuts a lab relay off the internet and brings it back: its uplink (the default route's device) down in its namespace,
/// then up with its default routes put back (a link going down takes them away). The engine keeps running, as on a
/// host whose network failed. <see cref="Flap"/> drops its traffic every other second, timed by one shell in the relay's namespace.
/// </summary>
public sealed class LabRelayOutage(LabState state, string relay)
{
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
        LabExec.Run(state, relay, ["sh", "-c", "ip link set dev \"$0\" up || exit; for route; do ip $route || exit; done", Uplink, .. _defaultRoutes]).EnsureSuccess();
        return DateTimeOffset.UtcNow;
    }

    /// <summary>
    /// Every packet in and out of the uplink dropped for a second (an nft table in the relay's namespace), then passed for
    /// a second, <paramref name="cycles"/> times; returns when it passes for good. Not the link taken down: the lab's
    /// veths hold up to a second of packets while the link is down and deliver them late, so a flapping link would
    /// delay the probes rather than lose them.
    /// </summary>
    public DateTimeOffset Flap(int cycles)
    {
        const string loop = "dev=$0; cycles=$1; i=0; while [ $i -lt \"$cycles\" ]; do "
            + "printf 'table inet sitewire_lab_flap { chain in { type filter hook prerouting priority -300; iifname \"%s\" drop; }; chain out { type filter hook output priority -300; oifname \"%s\" drop; }; }\\n' \"$dev\" \"$dev\" | nft -f - || exit; "
            + "sleep 1; nft delete table inet sitewire_lab_flap || exit; sleep 1; i=$((i+1)); done";
        LabExec.Run(state, relay, ["sh", "-c", loop, Uplink, cycles.ToString(System.Globalization.CultureInfo.InvariantCulture)],
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
