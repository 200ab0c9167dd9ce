namespace Sitewire.Planner.Model;

/// <summary>Where and why a path broke, and what change makes it pass.</summary>
public sealed record Breakage(BreakKind Kind, string Host, string Reason, string Fix)
{
    public string Code => Kind switch
    {
        BreakKind.NoRoute => "no-route",
        BreakKind.InternetUplink => "no-route-uplink",
        BreakKind.ForwardingDisabled => "ip-forward-off",
        BreakKind.Filtered => "filtered",
        BreakKind.NoNeighbor => "no-neighbor",
        BreakKind.NoPeerForDestination => "no-peer-for-destination",
        BreakKind.UnknownPeerKey => "unknown-peer-key",
        BreakKind.SenderNotAPeer => "sender-not-a-peer",
        BreakKind.SourceNotAllowed => "source-not-allowed",
        BreakKind.NoSession => "no-session",
        BreakKind.HandshakePortClosed => "handshake-port-closed",
        BreakKind.ServiceNotOffered => "service-not-offered",
        BreakKind.WrongHost => "wrong-host",
        _ => "hop-limit",
    };
}
