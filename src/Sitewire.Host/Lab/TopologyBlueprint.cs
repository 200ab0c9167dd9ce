using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Sitewire.Config.Topology;

namespace Sitewire.Host.Lab;

/// <summary>
/// Lays a topology out as lab hosts: an `inet` namespace routes the public addresses (198.18.0.1 is every
/// uplink's gateway); a node with an endpoint sits on it with that address on its public interface; a node
/// behind NAT sits behind its own masquerading router (100.64.N.0/24 inside, 198.51.100.N outside); each LAN is a
/// bridge namespace the node's LAN interface (named as the topology says) and the LAN hosts plug into; a
/// routed LAN subnet hangs off a LAN router at its `via` address; LAN routers named by hosts exist too (a router in an
/// extra on-link subnet sits on the LAN's bridge with that subnet's prefix length, and the node routes such a subnet
/// onto its LAN interface as verify's model does), and only
/// routers of `router-with-route` hosts route the remote prefixes back to the node (on-link: the node's address may be
/// outside the router's own subnet), once per router however many
/// such hosts share it. An endpoint given as a DNS name gets an address from 203.0.113.100 up, answered through
/// the lab's hosts files. Dual-stack LANs: the node's LAN interface also gets `lan.address_v6`, LAN hosts their IPv6
/// address and an IPv6 default route via it; the lab's internet and LAN routers stay IPv4. A LAN without a node address
/// and with nothing on it (no hosts, no LAN routers) is not built, as verify's model has no LAN interface then. Each node
/// starts with the firewall its setup names (<see cref="LabStartingFirewall"/>: verify's baseline on Debian/Ubuntu, empty
/// otherwise). Hosts get the prefix length of their segment (<see cref="LanSettings.SegmentOf"/>), as in verify's model.
/// </summary>
public static class TopologyBlueprint
{
    private const string InternetGateway = "198.18.0.1";

    public static LabBlueprint Create(Topology topology, IReadOnlyDictionary<string, LabNodeSetup> nodes, Func<Flow, LabPrediction> predict)
    {
        var layout = new Layout();
        var names = new Dictionary<string, string>();
        layout.AddHost("inet", LabRole.Internet, forwarding: true);
        for (var index = 0; index < topology.Nodes.Count; index++)
        {
            var node = topology.Nodes[index];
            var setup = nodes.TryGetValue(node.Name, out var found) ? found : throw new ArgumentException($"the plan has no config for node '{node.Name}'");
            layout.AddHost(node.Name, LabRole.Node, forwarding: false, setup.Sysctls, firewall: setup.Firewall);
            AddUplink(layout, node, index, names, topology.Network.ListenPort);
            if (node.Lan is not null && (node.Lan.InterfaceAddresses.Any() || topology.HostsAt(node.Name).Any() || node.Lan.Subnets.Any(s => s.Via is not null)))
            {
                AddLan(layout, topology, node);
            }
        }
        var tunnels = topology.Nodes.Select(n => new LabTunnel(n.Name, nodes[n.Name].InterfaceName, nodes[n.Name].ConfigText, n.Endpoint is not null)).ToList();
        var flows = topology.Flows.Select(f => ToLabFlow(topology, f, predict(f))).ToList();
        return new LabBlueprint(Path.GetFileNameWithoutExtension(topology.SourceFile), layout.Hosts(), layout.Wires, tunnels, Services(topology), flows, names);
    }

    /// <summary>
    /// The node's way to the internet. Behind NAT with an endpoint, the router forwards the endpoint's port to the node's
    /// listen_port, the port its plan listens on (the endpoint names the router's public side).
    /// </summary>
    private static void AddUplink(Layout layout, Node node, int index, Dictionary<string, string> names, int listenPort)
    {
        var uplink = node.PublicInterface ?? "wan0";
        var endpoint = node.Endpoint is null ? null : EndpointAddress(node, index, names);
        var publicAddress = endpoint ?? $"198.51.100.{10 + index}";
        if (!node.BehindNat)
        {
            layout.Wire(new(node.Name, uplink, [publicAddress + "/32"]), new("inet", $"up{index}", [InternetGateway + "/32"]));
            layout.Route(node.Name, new("default", InternetGateway, uplink, OnLink: true));
            layout.Route("inet", new(publicAddress + "/32", null, $"up{index}"));
            return;
        }
        var router = node.Name + "-nat";
        var inside = $"100.64.{index}";
        var forward = node.Endpoint is null
            ? ""
            : $"  chain prerouting {{ type nat hook prerouting priority -100; iifname \"wan0\" udp dport {node.Endpoint.Port} dnat to {inside}.2:{listenPort}; }}\n";
        layout.AddHost(router, LabRole.NatRouter, forwarding: true, nftScript:
            $"table ip nat {{\n{forward}  chain postrouting {{ type nat hook postrouting priority 100; oifname \"wan0\" masquerade; }}\n}}\n");
        layout.Wire(new(router, "wan0", [publicAddress + "/32"]), new("inet", $"up{index}", [InternetGateway + "/32"]));
        layout.Route(router, new("default", InternetGateway, "wan0", OnLink: true));
        layout.Route("inet", new(publicAddress + "/32", null, $"up{index}"));
        layout.Wire(new(node.Name, uplink, [inside + ".2/24"]), new(router, "lan0", [inside + ".1/24"]));
        layout.Route(node.Name, new("default", inside + ".1", uplink));
    }

    private static void AddLan(Layout layout, Topology topology, Node node)
    {
        var lan = node.Lan!;
        if (!lan.InterfaceAddresses.Any())
        {
            throw new ArgumentException($"{node.Location}: nodes[{node.Name}].lan.address: the lab needs the node's LAN address (address or address_v6) with its prefix length");
        }
        var lanSwitch = layout.AddSwitch(node.Name + "-lan");
        layout.Plug(lanSwitch, new(node.Name, lan.Interface, [.. lan.InterfaceAddresses.Select(a => $"{a.Address}/{a.PrefixLength}")]));
        var remote = RemotePrefixes(topology, node);
        var hosts = topology.HostsAt(node.Name).ToList();
        var routers = new Dictionary<string, string>();
        string RouterFor(IPAddress address)
        {
            var key = address.ToString();
            if (!routers.TryGetValue(key, out var name))
            {
                name = $"{node.Name}-r{routers.Count}";
                routers[key] = name;
                layout.AddHost(name, LabRole.LanRouter, forwarding: true);
                layout.Plug(lanSwitch, new(name, "eth0", [$"{address}/{lan.SegmentOf(address)?.Prefix.PrefixLength ?? NodeLanAddress(node, address.AddressFamily).Length}"]));
            }
            return name;
        }
        foreach (var subnet in lan.Subnets.Where(s => s.Via is null && !lan.InterfaceAddresses.Any(a => LanSegment.OwnLink(a.Address, a.PrefixLength).Prefix == s.Prefix)))
        {
            layout.Route(node.Name, new(subnet.Prefix.ToString(), null, lan.Interface));
        }
        var subnetSwitches = new List<(IPNetwork Prefix, string Switch, string Router)>();
        var routingBack = new HashSet<string>();
        foreach (var subnet in lan.Subnets.Where(s => s.Via is not null))
        {
            var router = RouterFor(subnet.Via!);
            var subnetSwitch = layout.AddSwitch($"{node.Name}-lan{subnetSwitches.Count + 1}");
            var routerAddress = hosts.Select(h => h.Router).OfType<IPAddress>().FirstOrDefault(subnet.Prefix.Contains) ?? OverlayAddressAllocator.LastUsable(subnet.Prefix);
            layout.Plug(subnetSwitch, new(router, $"eth{subnetSwitches.Count + 1}", [$"{routerAddress}/{subnet.Prefix.PrefixLength}"]));
            layout.Route(node.Name, new(subnet.Prefix.ToString(), subnet.Via!.ToString(), lan.Interface));
            subnetSwitches.Add((subnet.Prefix, subnetSwitch, router));
        }
        foreach (var host in hosts)
        {
            layout.AddHost(host.Name, LabRole.LanHost, forwarding: false);
            var routed = subnetSwitches.FirstOrDefault(s => host.Ipv4Address is { } v4 && lan.SegmentOf(v4) is { Via: not null } segment && s.Prefix == segment.Prefix);
            var addresses = new List<string>();
            if (host.Ipv4Address is { } ipv4)
            {
                var own = NodeLanAddress(node, AddressFamily.InterNetwork);
                addresses.Add($"{ipv4}/{lan.SegmentOf(ipv4)?.Prefix.PrefixLength ?? own.Length}");
                if ((host.Gateway == GatewayKind.Node ? own.Address : host.Router) is { } gateway)
                {
                    layout.Route(host.Name, new("default", gateway.ToString(), "eth0"));
                }
            }
            if (host.Ipv6Address is { } ipv6)
            {
                var own = NodeLanAddress(node, AddressFamily.InterNetworkV6);
                addresses.Add($"{ipv6}/{lan.SegmentOf(ipv6)?.Prefix.PrefixLength ?? own.Length}");
                layout.Route(host.Name, new("::/0", own.Address.ToString(), "eth0"));
            }
            layout.Plug(routed.Switch ?? lanSwitch, new(host.Name, "eth0", addresses));
            var router = host.Gateway != GatewayKind.Node && host.Router is { } declared && lan.SegmentOf(declared) is { Via: null }
                ? RouterFor(declared)
                : routed.Router;
            if (host.Gateway == GatewayKind.RouterWithRoute && router is not null && routingBack.Add(router))
            {
                var nodeAddress = NodeLanAddress(node, AddressFamily.InterNetwork).Address.ToString();
                foreach (var prefix in remote)
                {
                    layout.Route(router, new(prefix.ToString(), nodeAddress, "eth0", OnLink: true));
                }
            }
        }
    }

    /// <summary>The node's LAN address of a family with its prefix length; the lab cannot lay out that family's LAN side without it.</summary>
    private static (IPAddress Address, int Length) NodeLanAddress(Node node, AddressFamily family) =>
        node.Lan!.InterfaceAddresses.Where(a => a.Address.AddressFamily == family).Select(a => (a.Address, a.PrefixLength)).FirstOrDefault() is ({ } address, var length)
            ? (address, length)
            : throw new ArgumentException(family == AddressFamily.InterNetworkV6
                ? $"{node.Location}: nodes[{node.Name}].lan.address_v6: the lab needs the node's IPv6 LAN address with its prefix length for the LAN's IPv6 hosts and routers"
                : $"{node.Location}: nodes[{node.Name}].lan.address: the lab needs the node's LAN address with its prefix length for the LAN's IPv4 hosts and routers");

    /// <summary>
    /// What a LAN router "with route" sends to the node: the overlay and every other site's IPv4 LAN prefixes
    /// (IPv6 through a LAN router is not modelled: LAN routers have IPv4 only).
    /// </summary>
    private static IReadOnlyList<IPNetwork> RemotePrefixes(Topology topology, Node node) =>
        [topology.Network.Overlay, .. topology.Nodes.Where(n => n != node).SelectMany(n => n.LanPrefixes).Where(p => p.BaseAddress.AddressFamily == AddressFamily.InterNetwork)];

    private static string EndpointAddress(Node node, int index, Dictionary<string, string> names)
    {
        var host = node.Endpoint!.Host;
        if (IPAddress.TryParse(host, out var address))
        {
            return address.AddressFamily == AddressFamily.InterNetwork
                ? address.ToString()
                : throw new ArgumentException($"{node.Location}: nodes[{node.Name}].endpoint: the lab's internet is IPv4; use an IPv4 address or a DNS name, not '{host}'");
        }
        var assigned = $"203.0.113.{100 + index}";
        names[host] = assigned;
        return assigned;
    }

    private static LabFlow ToLabFlow(Topology topology, Flow flow, LabPrediction prediction)
    {
        var http = flow.To.Name is { } name && topology.FindHost(name) is { } host
            && host.Services.Any(s => s.Port == flow.To.Port && s.Protocol == TransportProtocol.Tcp && IsHttp(s));
        var protocol = flow.To.Port is null ? LabProtocol.Icmp
            : flow.To.Protocol == TransportProtocol.Udp ? LabProtocol.Udp
            : http ? LabProtocol.Http
            : LabProtocol.Tcp;
        return new LabFlow(flow.ToString(), flow.From, flow.To.Address.ToString(), flow.To.Port ?? 0, protocol, flow.Expect == FlowExpectation.Allow, prediction.Allowed, prediction.Explanation, prediction.Refused, prediction.ProbeMtu);
    }

    /// <summary>
    /// Declared TCP and UDP services on each of the host's addresses (a host listens on nothing else, as verify's model
    /// says), plus a responder for every port a flow names on a node (any address of the flow's family: 0.0.0.0 or ::).
    /// </summary>
    private static IReadOnlyList<LabService> Services(Topology topology)
    {
        var services = topology.Hosts
            .SelectMany(h => h.Services.SelectMany(s => HostServices(h, s.Port, s.Protocol == TransportProtocol.Udp ? LabProtocol.Udp : IsHttp(s) ? LabProtocol.Http : LabProtocol.Tcp)))
            .ToList();
        foreach (var flow in topology.Flows.Where(f => f.To.Port is not null && f.To.Name is not null && topology.FindNode(f.To.Name) is not null))
        {
            var port = flow.To.Port!.Value;
            var protocol = flow.To.Protocol == TransportProtocol.Udp ? LabProtocol.Udp : LabProtocol.Tcp;
            LabService[] wanted = [new LabService(flow.To.Name!, flow.To.Address.AddressFamily == AddressFamily.InterNetworkV6 ? "::" : "0.0.0.0", port, protocol)];
            services.AddRange(wanted.Where(w => !services.Any(s => s.Host == w.Host && s.Address == w.Address && s.Port == w.Port && IsUdp(s) == IsUdp(w))));
        }
        return services;
    }

    private static bool IsHttp(Service service) => string.Equals(service.Application, "http", StringComparison.OrdinalIgnoreCase);

    private static bool IsUdp(LabService service) => service.Protocol == LabProtocol.Udp;

    private static IEnumerable<LabService> HostServices(LanHost host, int port, LabProtocol protocol) =>
        host.Addresses.Select(address => new LabService(host.Name, address.ToString(), port, protocol));

    /// <summary>Collects hosts, wires and routes while the layout is computed.</summary>
    private sealed class Layout
    {
        private readonly List<(string Name, LabRole Role, bool Forwarding, IReadOnlyDictionary<string, string> Sysctls, string? Nft, LabStartingFirewall Firewall)> _hosts = [];
        private readonly List<(string Host, LabRoute Route)> _routes = [];
        private readonly Dictionary<string, int> _switchPorts = [];

        public List<LabWire> Wires { get; } = [];

        public void AddHost(string name, LabRole role, bool forwarding, IReadOnlyDictionary<string, string>? sysctls = null, string? nftScript = null,
            LabStartingFirewall firewall = LabStartingFirewall.Empty) =>
            _hosts.Add((name, role, forwarding, sysctls ?? new Dictionary<string, string>(), nftScript, firewall));

        public string AddSwitch(string name)
        {
            AddHost(name, LabRole.Switch, forwarding: false);
            _switchPorts[name] = 0;
            return name;
        }

        public void Plug(string lanSwitch, LabInterface end)
        {
            var port = _switchPorts[lanSwitch]++;
            Wire(end, new LabInterface(lanSwitch, "p" + port.ToString(CultureInfo.InvariantCulture), []));
        }

        public void Wire(LabInterface a, LabInterface b) => Wires.Add(new LabWire(a, b));

        public void Route(string host, LabRoute route) => _routes.Add((host, route));

        public IReadOnlyList<LabHost> Hosts() =>
        [
            .. _hosts.Select(h => new LabHost(
                h.Name,
                h.Role,
                [.. _routes.Where(r => r.Host == h.Name).Select(r => r.Route)],
                h.Forwarding ? new Dictionary<string, string>(h.Sysctls) { ["net/ipv4/ip_forward"] = "1", ["net/ipv6/conf/all/forwarding"] = "1" } : h.Sysctls,
                h.Nft,
                h.Firewall)),
        ];
    }
}
