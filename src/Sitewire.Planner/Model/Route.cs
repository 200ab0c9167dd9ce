namespace Sitewire.Planner.Model;

public enum RouteOrigin
{
    /// <summary>The subnet of an interface address ("proto kernel scope link").</summary>
    Connected,
    /// <summary>A route wg-quick adds for an AllowedIP (Table = auto).</summary>
    WgQuick,
    Static,
    /// <summary>A default route to an internet uplink: private destinations sent there are lost.</summary>
    Uplink,
}

public sealed record Route(Prefix Prefix, HostInterface Interface, Address? Gateway, RouteOrigin Origin)
{
    public override string ToString() => Text(Prefix, Gateway, Interface.Name, Origin);

    /// <summary>A route as `ip route` shows it, from its values (a trace's note keeps these, not the interface and its host).</summary>
    public static string Text(Prefix prefix, Address? gateway, string device, RouteOrigin origin) =>
        $"{prefix}{(gateway is { } via ? " via " + via : "")} dev {device}" + (origin == RouteOrigin.Uplink ? " (internet uplink)" : "");
}
