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
    public override string ToString() =>
        $"{Prefix}{(Gateway is { } gateway ? " via " + gateway : "")} dev {Interface.Name}"
        + (Origin == RouteOrigin.Uplink ? " (internet uplink)" : "");
}
