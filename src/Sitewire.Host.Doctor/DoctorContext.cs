using System.Net;
using System.Net.Sockets;
using Sitewire.Host.Linux;
using Sitewire.Netfilter;

namespace Sitewire.Host.Doctor;

/// <summary>
/// A snapshot seen from one WireGuard interface, with what the checks derive from it. Without a topology:
/// LAN interfaces are those with an RFC 1918 address (not lo, not WireGuard); the node is behind NAT when the
/// source address toward a peer endpoint is RFC 1918 or 100.64.0.0/10; it must forward when it has two or more
/// peers, or a LAN and peers whose allowed-ips reach beyond single addresses. IPv4 is always examined; IPv6 when
/// it crosses the interface: an IPv6 address on it, an IPv6 allowed-ip, or (with a topology) an IPv6 prefix on the
/// node's LAN. Without a topology a LAN's IPv6 prefix alone does not count: a tunnel with neither IPv6 addresses
/// nor IPv6 allowed-ips carries no IPv6, whatever the LAN has (a home LAN with the provider's IPv6 is no alarm).
/// </summary>
public sealed class DoctorContext
{
    private static readonly IPNetwork[] PrivateRanges =
        [IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.168.0.0/16")];

    private static readonly IPNetwork CarrierGradeNat = IPNetwork.Parse("100.64.0.0/10");

    private readonly IReadOnlyList<IPNetwork> _allowedIps;

    public DoctorContext(NodeSnapshot snapshot, WireGuardInterfaceState wireGuard, DoctorExpectation? expectation)
    {
        Snapshot = snapshot;
        WireGuard = wireGuard;
        Expectation = expectation;
        _allowedIps = [.. wireGuard.Peers.SelectMany(p => p.AllowedIps).Select(IpFamily.ParsePrefix).OfType<IPNetwork>().Distinct()];
        var wireGuardNames = snapshot.WireGuard.Select(w => w.Name).ToHashSet();
        LanInterfaces = expectation?.LanInterface is { } lan
            ? [lan]
            : [.. snapshot.Addresses
                .Where(a => a.Family == "inet" && a.Interface != "lo" && !wireGuardNames.Contains(a.Interface) && IsPrivate(IPAddress.Parse(a.Address)))
                .Select(a => a.Interface).Distinct()];
        Families = CarriesIpv6() ? IpFamily.Both : [IpFamily.V4];
        BehindNat = expectation?.BehindNat ?? snapshot.EndpointRoutes.Values.Any(r => r.Source is { } s && IPAddress.TryParse(s, out var a) && (IsPrivate(a) || CarrierGradeNat.Contains(a)));
        Forwards = expectation?.Forwards ?? (wireGuard.Peers.Count >= 2
            || (LanInterfaces.Count > 0 && Families.Any(family => RemoteSources(family).Any(p => p.PrefixLength < family.HostPrefixLength))));
    }

    public NodeSnapshot Snapshot { get; }
    public WireGuardInterfaceState WireGuard { get; }
    public DoctorExpectation? Expectation { get; }
    public string Name => WireGuard.Name;

    public IReadOnlyList<string> LanInterfaces { get; }

    /// <summary>The families the checks examine on this interface: IPv4, and IPv6 when it crosses the interface.</summary>
    public IReadOnlyList<IpFamily> Families { get; }

    public bool BehindNat { get; }
    public bool Forwards { get; }

    /// <summary>The peers' allowed-ips of the family, each once.</summary>
    public IEnumerable<IPNetwork> AllowedIps(IpFamily family) => _allowedIps.Where(family.Holds);

    /// <summary>Sources tunnel traffic of the family may carry: every peer's allowed-ips, without the default route (0.0.0.0/0, ::/0).</summary>
    public IReadOnlyList<IPNetwork> RemoteSources(IpFamily family) => [.. AllowedIps(family).Where(p => p.PrefixLength > 0)];

    /// <summary>The LAN interfaces the family crosses: IPv4 all of them (that is how they are found), IPv6 those with an IPv6 prefix.</summary>
    public IReadOnlyList<string> LanInterfacesOf(IpFamily family) =>
        family == IpFamily.V4 ? LanInterfaces : [.. LanInterfaces.Where(lan => LanPrefixes(lan, family).Count > 0)];

    /// <summary>Prefixes of the family reached through a LAN interface: its connected prefixes and routes via a gateway on it (not default, not link-local).</summary>
    public IReadOnlyList<IPNetwork> LanPrefixes(string lan, IpFamily family) =>
        [.. Snapshot.Routes.Where(r => r.Family == family && r.Device == lan && r.Table == "main" && r.Type == "unicast" && r.Destination != "default")
            .Select(r => IpFamily.ParsePrefix(r.Destination)).OfType<IPNetwork>().Where(p => !IpFamily.IsLinkLocal(p))];

    /// <summary>True when hosts on the LAN certainly use another router for the family: a route via a gateway on it, or the default route leaves through it.</summary>
    public bool LanHasOtherRouter(string lan, IpFamily family) =>
        Snapshot.Routes.Any(r => r.Family == family && r.Device == lan && r.Table == "main" && r.Gateway is not null);

    public static bool IsPrivate(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork && PrivateRanges.Any(r => r.Contains(address));

    private bool CarriesIpv6() =>
        AllowedIps(IpFamily.V6).Any()
        || Snapshot.Addresses.Any(a => a.Interface == Name && a.Family == IpFamily.V6.IpJsonFamily && !IPAddress.Parse(a.Address).IsIPv6LinkLocal)
        || Expectation is { LanIpv6: true };
}
