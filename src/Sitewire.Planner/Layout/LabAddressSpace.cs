using System.Net;
using Sitewire.Config.Topology;

namespace Sitewire.Planner.Layout;

/// <summary>
/// The addresses a topology uses (overlays, LAN prefixes and the node's LAN links, hosts, routers, endpoint literals),
/// and the layout's own picks around them: the internet gateway, public addresses for nodes and NAT routers without a
/// literal endpoint, and the links behind NAT routers. A pick never lies in or holds a prefix or address the topology
/// uses, nor one picked before. <see cref="InternetTargets"/> are the flows' IPv4 literal targets outside the topology's
/// addresses: hosts on the internet, kept out of the picks too.
/// </summary>
internal sealed class LabAddressSpace
{
    private static readonly IPAddress[] GatewayAddresses = [.. Range(198, 18 * 256, 512, [1])];

    private static readonly IPAddress[] PublicAddresses =
        [.. Range(198, 51 * 256 + 100, 1, Hosts(10)), .. Range(203, 113, 1, Hosts(10)), .. Range(192, 2, 1, Hosts(10))];

    private readonly List<IPNetwork> _taken = [];

    // What is taken stays taken, so each pick goes on from where the last one of its kind stopped (the same picks as a
    // search from the start, without rescanning them).
    private int _nextGateway;
    private int _nextPublicAddress;
    private int _nextInsideLink;

    public LabAddressSpace(Topology topology)
    {
        _taken.AddRange(Plan.PeerLinks.OverlayPrefixes(topology.Network));
        foreach (var node in topology.Nodes)
        {
            _taken.AddRange(new[] { node.OverlayAddress, node.OverlayAddressV6 }.OfType<IPAddress>().Select(Host));
            _taken.AddRange(node.LanPrefixes.Concat(node.RoutedLanPrefixes));
            _taken.AddRange(node.Lan?.Subnets.Select(s => s.Via).OfType<IPAddress>().Select(Host) ?? []);
            _taken.AddRange(node.Lan?.InterfaceAddresses.Select(a => LanSegment.OwnLink(a.Address, a.PrefixLength).Prefix) ?? []);
            if (node.Endpoint is { } endpoint && TopologyValues.TryParseLiteral(endpoint.Host, out var literal))
            {
                _taken.Add(Host(literal));
            }
        }
        foreach (var host in topology.Hosts)
        {
            _taken.AddRange(host.Addresses.Concat(new[] { host.Router }.OfType<IPAddress>()).Select(Host));
        }
        InternetTargets = [.. topology.Flows.Where(flow => flow.To.Name is null && flow.To.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            .Select(flow => flow.To.Address).Distinct().Where(address => IsFree(Host(address)))];
        _taken.AddRange(InternetTargets.Select(Host));
    }

    /// <summary>The flows' IPv4 address literals that lie in no prefix and on no address of the topology, in the order flows name them.</summary>
    public IReadOnlyList<IPAddress> InternetTargets { get; }

    /// <summary>The internet's gateway: 198.18.0.1 unless the topology uses it, else the first free .1 of 198.18.0.0/15.</summary>
    public IPAddress Gateway() => TakeAddress(GatewayAddresses, ref _nextGateway, "the internet gateway");

    /// <summary>A public address for a node or NAT router without a literal endpoint: from 198.51.100.10, 203.0.113.10, 192.0.2.10 up.</summary>
    public IPAddress PublicAddress() => TakeAddress(PublicAddresses, ref _nextPublicAddress, "a public address");

    /// <summary>The link behind a NAT router: the first free /24 of 100.64.0.0/10.</summary>
    public IPNetwork InsideLink()
    {
        for (; _nextInsideLink < 64 * 256; _nextInsideLink++)
        {
            var candidate = new IPNetwork(new IPAddress([100, (byte)(64 + _nextInsideLink / 256), (byte)(_nextInsideLink % 256), 0]), 24);
            if (IsFree(candidate))
            {
                _taken.Add(candidate);
                return candidate;
            }
        }
        throw new InvalidOperationException("no /24 of 100.64.0.0/10 is free of the topology's prefixes for the links behind NAT routers");
    }

    private bool IsFree(IPNetwork candidate) =>
        !_taken.Exists(taken => taken.Contains(candidate.BaseAddress) || candidate.Contains(taken.BaseAddress));

    /// <summary>The first free candidate from <paramref name="next"/> on, which moves past it.</summary>
    private IPAddress TakeAddress(IReadOnlyList<IPAddress> candidates, ref int next, string what)
    {
        for (; next < candidates.Count; next++)
        {
            var candidate = candidates[next];
            if (IsFree(Host(candidate)))
            {
                _taken.Add(Host(candidate));
                next++;
                return candidate;
            }
        }
        throw new InvalidOperationException($"no address is free of the topology's prefixes for {what}");
    }

    /// <summary>Addresses first.second.third.last for <paramref name="count"/> third octets from <paramref name="secondAndThird"/> (second * 256 + third) on.</summary>
    private static IEnumerable<IPAddress> Range(byte first, int secondAndThird, int count, IReadOnlyList<byte> lasts) =>
        Enumerable.Range(secondAndThird, count).SelectMany(n => lasts.Select(last => new IPAddress([first, (byte)(n / 256), (byte)(n % 256), last])));

    private static byte[] Hosts(int from) => [.. Enumerable.Range(from, 255 - from).Select(n => (byte)n)];

    private static IPNetwork Host(IPAddress address) => new(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
}
