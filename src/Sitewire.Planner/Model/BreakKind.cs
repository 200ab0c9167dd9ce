namespace Sitewire.Planner.Model;

/// <summary>Why a packet did not arrive.</summary>
public enum BreakKind
{
    NoRoute,
    InternetUplink,
    ForwardingDisabled,
    Filtered,
    NoNeighbor,
    NoPeerForDestination,
    UnknownPeerKey,
    SenderNotAPeer,
    SourceNotAllowed,
    NoSession,
    HandshakePortClosed,
    ServiceNotOffered,
    WrongHost,
    HopLimit,
}
