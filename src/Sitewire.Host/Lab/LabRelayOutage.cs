using System.Text.Json;

namespace Sitewire.Host.Lab;

/// <summary>
/// Cuts a lab relay off the internet and brings it back: its uplink (the default route's device) down in its namespace,
/// then up with its default routes put back (a link going down takes them away). The engine keeps running, as on a
/// host whose network failed.
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
        LabExec.Run(state, relay, ["ip", "link", "set", "dev", Uplink, "up"]).EnsureSuccess();
        foreach (var route in _defaultRoutes)
        {
            LabExec.Run(state, relay, ["sh", "-c", $"ip {route}"]).EnsureSuccess();
        }
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
