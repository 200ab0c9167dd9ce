using System.Net;
using System.Net.Sockets;
using Sitewire.Host.Linux;

namespace Sitewire.Host.Doctor;

/// <summary>
/// A snapshot seen from one WireGuard interface, with what the checks derive from it. Without a topology:
/// LAN interfaces are those with an RFC 1918 address (not lo, not WireGuard); the node is behind NAT when the
/// source address toward a peer endpoint is RFC 1918 or 100.64.0.0/10; it must forward when it has two or more
/// peers, or a LAN and peers whose allowed-ips reach beyond single addresses.
/// </summary>
public sealed class DoctorContext
{
    private static readonly IPNetwork[] PrivateRanges =
        [IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.168.0.0/16")];

    private static readonly IPNetwork CarrierGradeNat = IPNetwork.Parse("100.64.0.0/10");

    public DoctorContext(NodeSnapshot snapshot, WireGuardInterfaceState wireGuard, DoctorExpectation? expectation)
    {
        Snapshot = snapshot;
        WireGuard = wireGuard;
        Expectation = expectation;
        RemoteSources = [.. wireGuard.Peers.SelectMany(p => p.AllowedIps).Select(ParsePrefix).OfType<IPNetwork>()
            .Where(p => p.BaseAddress.AddressFamily == AddressFamily.InterNetwork && p.PrefixLength > 0).Distinct()];
        var wireGuardNames = snapshot.WireGuard.Select(w => w.Name).ToHashSet();
        LanInterfaces = expectation?.LanInterface is { } lan
            ? [lan]
            : [.. snapshot.Addresses
                .Where(a => a.Family == "inet" && a.Interface != "lo" && !wireGuardNames.Contains(a.Interface) && IsPrivate(IPAddress.Parse(a.Address)))
                .Select(a => a.Interface).Distinct()];
        BehindNat = expectation?.BehindNat ?? snapshot.EndpointRoutes.Values.Any(r => r.Source is { } s && IPAddress.TryParse(s, out var a) && (IsPrivate(a) || CarrierGradeNat.Contains(a)));
        Forwards = expectation?.Forwards ?? (wireGuard.Peers.Count >= 2 || (LanInterfaces.Count > 0 && RemoteSources.Any(p => p.PrefixLength < 32)));
    }

    public NodeSnapshot Snapshot { get; }
    public WireGuardInterfaceState WireGuard { get; }
    public DoctorExpectation? Expectation { get; }
    public string Name => WireGuard.Name;

    /// <summary>Sources tunnel traffic may carry: every peer's allowed-ips (IPv4, without 0.0.0.0/0).</summary>
    public IReadOnlyList<IPNetwork> RemoteSources { get; }

    public IReadOnlyList<string> LanInterfaces { get; }
    public bool BehindNat { get; }
    public bool Forwards { get; }

    /// <summary>Prefixes reached through a LAN interface: its connected prefixes and routes via a gateway on it (not default).</summary>
    public IReadOnlyList<IPNetwork> LanPrefixes(string lan) =>
        [.. Snapshot.Routes.Where(r => r.Device == lan && r.Table == "main" && r.Type == "unicast" && r.Destination != "default")
            .Select(r => ParsePrefix(r.Destination)).OfType<IPNetwork>()];

    /// <summary>True when hosts on the LAN certainly use another router: a route via a gateway on it, or the default route leaves through it.</summary>
    public bool LanHasOtherRouter(string lan) =>
        Snapshot.Routes.Any(r => r.Device == lan && r.Table == "main" && r.Gateway is not null);

    public static IPNetwork? ParsePrefix(string text) =>
        IPNetwork.TryParse(text.Contains('/', StringComparison.Ordinal) ? text : text + (text.Contains(':', StringComparison.Ordinal) ? "/128" : "/32"), out var prefix)
            ? prefix
            : null;

    public static bool IsPrivate(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork && PrivateRanges.Any(r => r.Contains(address));
}
