using System.Net;
using System.Net.Sockets;
using Sitewire.Config.Topology;

namespace Sitewire.Planner.Plan;

/// <summary>
/// The host changes a node needs, from its role and its peers:
/// forwarding for relays and for sites with a LAN; the 1:1 translation of each mapped LAN subnet at the tunnel; masquerade on the LAN interface, for every
/// source that arrives through the tunnel (the overlay, then the remote prefixes in its AllowedIPs, merged where exactly equivalent and in address order, so the file's order does not matter),
/// when the site's NAT mode is masquerade; forward accepts tunnel↔LAN (tunnel↔tunnel on relays);
/// the UDP port when the node listens; the firewalld zone change on the RHEL family; the MSS clamp on nodes with a LAN
/// (unless `mss_clamp: false`); the node's declared drop rules; on a node with `docker: true`, the forward accepts in
/// DOCKER-USER; on the exit of full-tunnel clients, forwarding from the tunnel out of its uplink with masquerade of
/// those clients' overlay addresses. With `network.policy: flows`, the flow filter takes the place of the accepts from the tunnel.
/// </summary>
public static class NodeRulesPlanner
{
    public static NodeRules Plan(Topology topology, Node node, IReadOnlyList<PeerLink> links, int? listenPort, bool carriesIpv6)
    {
        var network = topology.Network;
        var tunnel = network.InterfaceName;
        var egress = topology.Nodes.Where(client => client.RouteAll && client.Exit == node.Name).SelectMany(PeerLinks.HostPrefixes).ToList();
        var forwards = node.Role == NodeRole.Relay || node.Lan is not null || egress.Count > 0;
        var sysctls = new List<SysctlSetting>();
        if (forwards)
        {
            sysctls.Add(new SysctlSetting("net.ipv4.ip_forward", "1"));
            if (carriesIpv6)
            {
                sysctls.Add(new SysctlSetting("net.ipv6.conf.all.forwarding", "1"));
            }
        }
        var nat = new List<NatRule>();
        var accepts = new List<ForwardAccept>();
        if (node.Role == NodeRole.Relay)
        {
            accepts.Add(new ForwardAccept(tunnel, tunnel));
        }
        if (node.Lan is { } lan)
        {
            sysctls.AddRange(NoRedirects(lan.Interface));
            accepts.Add(new ForwardAccept(tunnel, lan.Interface));
            accepts.Add(new ForwardAccept(lan.Interface, tunnel));
            if (node.Nat == NatMode.Masquerade)
            {
                var lanFamilies = lan.Subnets.Select(subnet => subnet.Prefix.BaseAddress.AddressFamily).ToHashSet();
                nat.AddRange(TunnelSources(network, node, links)
                    .Where(source => lanFamilies.Contains(source.BaseAddress.AddressFamily))
                    .Select(source => new NatRule(NatKind.Masquerade, lan.Interface, source)));
            }
        }
        if (egress.Count > 0 && node.PublicInterface is { } uplink)
        {
            if (!accepts.Contains(new ForwardAccept(tunnel, uplink)))
            {
                accepts.Add(new ForwardAccept(tunnel, uplink));
            }
            nat.AddRange(egress.Select(source => new NatRule(NatKind.Masquerade, uplink, source)));
        }
        FirewalldZoneChange? firewalld = UsesFirewalld(node.Os)
            ? new FirewalldZoneChange(tunnel, node.Lan?.Interface ?? node.PublicInterface, listenPort)
            : null;
        var clamp = node.Lan is not null && node.MssClamp ? new MssClamp(tunnel, network.Mtu) : null;
        FlowFilter? flowPolicy = null;
        if (forwards && network.Policy == FlowPolicy.Flows)
        {
            accepts.RemoveAll(accept => accept.InInterface == tunnel);
            flowPolicy = new FlowFilter(tunnel, PolicyRulesFor(topology, node));
        }
        var maps = node.MappedSubnets.Select(subnet => new PrefixMap(tunnel, subnet.Prefix, subnet.MappedAs!.Value)).ToList();
        return new NodeRules(sysctls, nat, maps, new FirewallPlan(listenPort, accepts, firewalld, node.Kept.Drops, flowPolicy, node.Docker && node.DockerUser), clamp);
    }

    /// <summary>
    /// The flow rules a node forwards from the tunnel, each limited to those destinations: a relay forwards to every
    /// destination but its own overlay addresses, a site into its LAN subnets. Deny rules first, then allow rules.
    /// </summary>
    private static List<FlowRule> PolicyRulesFor(Topology topology, Node node)
    {
        var own = new[] { node.OverlayAddress, node.OverlayAddressV6 }.OfType<IPAddress>().ToHashSet();
        bool Forwarded(IPNetwork destination) => node.Role == NodeRole.Relay
            ? !(own.Contains(destination.BaseAddress) && destination.PrefixLength == (IsV6(destination) ? 128 : 32))
            : node.LanPrefixes.Any(lan => Covers(lan, destination));
        return [.. topology.FlowRules
            .OrderBy(rule => rule.Expect == FlowExpectation.Deny ? 0 : 1)
            .Select(rule => rule with { Destinations = [.. rule.Destinations.Where(Forwarded)] })
            .Where(rule => rule.Destinations.Count > 0)];
    }

    /// <summary>
    /// No ICMP redirects from the node (Linux sends them by default, all OR interface): a LAN host whose gateway is the
    /// node, reaching a subnet behind a LAN router on the same link, would be told to go to that router directly after
    /// its first packets, so the path and the node's forward filter stop applying (a denied flow then passes, and the
    /// first packets are lost). With them off the node routes every packet it is sent, as verify models. IPv6 has no
    /// such switch; Linux only redirects to a link-local next hop, which the planned routes never use.
    /// </summary>
    private static IEnumerable<SysctlSetting> NoRedirects(string lanInterface) =>
    [
        new(AllSendRedirects, "0"),
        new(SendRedirects(lanInterface), "0"),
    ];

    public const string AllSendRedirects = "net.ipv4.conf.all.send_redirects";

    /// <summary>The interface's send_redirects key; a dot in an interface name (a VLAN, eth0.100) is a slash in a sysctl key.</summary>
    public static string SendRedirects(string interfaceName) => $"net.ipv4.conf.{interfaceName.Replace('.', '/')}.send_redirects";

    public static RuleBackend BackendFor(OsFamily os) =>
        os.IsRhelFamily() ? RuleBackend.Nftables : RuleBackend.Iptables;

    public static bool UsesFirewalld(OsFamily os) => BackendFor(os) == RuleBackend.Nftables;

    private static IEnumerable<IPNetwork> TunnelSources(NetworkSettings network, Node node, IReadOnlyList<PeerLink> links)
    {
        var overlays = PeerLinks.OverlayPrefixes(network).ToList();
        var own = node.LanPrefixes.Concat(node.RoutedLanPrefixes).ToHashSet();
        var remote = links.SelectMany(link => link.AllowedIps)
            .Where(prefix => !own.Contains(prefix) && !overlays.Any(overlay => Covers(overlay, prefix)));
        return overlays.Concat(PrefixAggregator.Merge(remote));
    }

    private static bool Covers(IPNetwork outer, IPNetwork inner) =>
        outer.BaseAddress.AddressFamily == inner.BaseAddress.AddressFamily
        && outer.PrefixLength <= inner.PrefixLength
        && outer.Contains(inner.BaseAddress);

    /// <summary>Whether IPv6 crosses the network: an IPv6 overlay, or any site's IPv6 LAN prefix (routed through the tunnel even without one).</summary>
    public static bool CarriesIpv6(Topology topology) =>
        topology.Network.OverlayV6 is not null || topology.Nodes.SelectMany(node => node.LanPrefixes).Any(IsV6);

    internal static bool IsV6(IPNetwork prefix) => prefix.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6;
}
