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
/// routed LAN subnet hangs off a LAN router at its `via` address; LAN routers named by hosts exist too, and only
/// routers of `router-with-route` hosts route the remote prefixes back to the node, once per router however many
/// such hosts share it. An endpoint given as a DNS name gets an address from 203.0.113.100 up, answered through
/// the lab's hosts files.
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
            layout.AddHost(node.Name, LabRole.Node, forwarding: false, setup.Sysctls);
            AddUplink(layout, node, index, names);
            if (node.Lan is not null)
            {
                AddLan(layout, topology, node);
            }
        }
        var tunnels = topology.Nodes.Select(n => new LabTunnel(n.Name, nodes[n.Name].InterfaceName, nodes[n.Name].ConfigText, n.Endpoint is not null)).ToList();
        var flows = topology.Flows.Where(f => f.To.Protocol != TransportProtocol.Udp).Select(f => ToLabFlow(topology, f, predict(f))).ToList();
        return new LabBlueprint(Path.GetFileNameWithoutExtension(topology.SourceFile), layout.Hosts(), layout.Wires, tunnels, Services(topology), flows, names);
    }

    private static void AddUplink(Layout layout, Node node, int index, Dictionary<string, string> names)
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
            : $"  chain prerouting {{ type nat hook prerouting priority -100; iifname \"wan0\" udp dport {node.Endpoint.Port} dnat to {inside}.2; }}\n";
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
        if (lan.Address is null || lan.PrefixLength is null)
        {
            throw new ArgumentException($"{node.Location}: nodes[{node.Name}].lan.address: the lab needs the node's LAN address with its prefix length");
        }
        var onLink = Containing(lan.Address, lan.PrefixLength.Value);
        var lanSwitch = layout.AddSwitch(node.Name + "-lan");
        layout.Plug(lanSwitch, new(node.Name, lan.Interface, [$"{lan.Address}/{lan.PrefixLength}"]));
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
                layout.Plug(lanSwitch, new(name, "eth0", [$"{address}/{lan.PrefixLength}"]));
            }
            return name;
        }
        var subnetSwitches = new List<(IPNetwork Prefix, string Switch, string Router)>();
        var routingBack = new HashSet<string>();
        foreach (var subnet in lan.Subnets.Where(s => s.Via is not null))
        {
            var router = RouterFor(subnet.Via!);
            var subnetSwitch = layout.AddSwitch($"{node.Name}-lan{subnetSwitches.Count + 1}");
            var routerAddress = hosts.Select(h => h.Router).OfType<IPAddress>().FirstOrDefault(subnet.Prefix.Contains) ?? LastUsable(subnet.Prefix);
            layout.Plug(subnetSwitch, new(router, $"eth{subnetSwitches.Count + 1}", [$"{routerAddress}/{subnet.Prefix.PrefixLength}"]));
            layout.Route(node.Name, new(subnet.Prefix.ToString(), subnet.Via!.ToString(), lan.Interface));
            subnetSwitches.Add((subnet.Prefix, subnetSwitch, router));
        }
        foreach (var host in hosts)
        {
            layout.AddHost(host.Name, LabRole.LanHost, forwarding: false);
            var routed = subnetSwitches.FirstOrDefault(s => s.Prefix.Contains(host.Address));
            var prefixLength = routed.Switch is null ? lan.PrefixLength.Value : routed.Prefix.PrefixLength;
            layout.Plug(routed.Switch ?? lanSwitch, new(host.Name, "eth0", [$"{host.Address}/{prefixLength}"]));
            var gateway = host.Gateway == GatewayKind.Node ? lan.Address : host.Router;
            if (gateway is not null)
            {
                layout.Route(host.Name, new("default", gateway.ToString(), "eth0"));
            }
            var router = host.Gateway != GatewayKind.Node && host.Router is not null && onLink.Contains(host.Router)
                ? RouterFor(host.Router)
                : routed.Router;
            if (host.Gateway == GatewayKind.RouterWithRoute && router is not null && routingBack.Add(router))
            {
                foreach (var prefix in remote)
                {
                    layout.Route(router, new(prefix.ToString(), lan.Address.ToString(), "eth0"));
                }
            }
        }
    }

    /// <summary>What a LAN router "with route" sends to the node: the overlay and every other site's LAN prefixes.</summary>
    private static IReadOnlyList<IPNetwork> RemotePrefixes(Topology topology, Node node) =>
        [topology.Network.Overlay, .. topology.Nodes.Where(n => n != node).SelectMany(n => n.LanPrefixes)];

    private static IPAddress LastUsable(IPNetwork prefix) => ToAddress((ToUInt32(prefix.BaseAddress) | HostMask(prefix.PrefixLength)) - 1);

    private static IPNetwork Containing(IPAddress address, int prefixLength) =>
        new(ToAddress(ToUInt32(address) & ~HostMask(prefixLength)), prefixLength);

    private static uint HostMask(int prefixLength) => prefixLength == 0 ? uint.MaxValue : (1u << (32 - prefixLength)) - 1;

    private static uint ToUInt32(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
    }

    private static IPAddress ToAddress(uint value) => new([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);

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
            && host.Services.Any(s => s.Port == flow.To.Port && string.Equals(s.Application, "http", StringComparison.OrdinalIgnoreCase));
        var protocol = flow.To.Port is null ? LabProtocol.Icmp : http ? LabProtocol.Http : LabProtocol.Tcp;
        return new LabFlow(flow.ToString(), flow.From, flow.To.Address.ToString(), flow.To.Port ?? 0, protocol, flow.Expect == FlowExpectation.Allow, prediction.Allowed, prediction.Explanation);
    }

    /// <summary>Declared TCP services, plus a responder on every node or host a TCP flow targets (nodes answer any port).</summary>
    private static IReadOnlyList<LabService> Services(Topology topology)
    {
        var services = topology.Hosts
            .SelectMany(h => h.Services.Where(s => s.Protocol == TransportProtocol.Tcp)
                .Select(s => new LabService(h.Name, h.Address.ToString(), s.Port, string.Equals(s.Application, "http", StringComparison.OrdinalIgnoreCase) ? LabProtocol.Http : LabProtocol.Tcp)))
            .ToList();
        foreach (var flow in topology.Flows.Where(f => f.To.Port is not null && f.To.Protocol == TransportProtocol.Tcp && f.To.Name is not null))
        {
            var owner = flow.To.Name!;
            if (services.Any(s => s.Host == owner && s.Port == flow.To.Port))
            {
                continue;
            }
            var address = topology.FindNode(owner) is null ? flow.To.Address.ToString() : "0.0.0.0";
            services.Add(new LabService(owner, address, flow.To.Port!.Value, LabProtocol.Tcp));
        }
        return services;
    }

    /// <summary>Collects hosts, wires and routes while the layout is computed.</summary>
    private sealed class Layout
    {
        private readonly List<(string Name, LabRole Role, bool Forwarding, IReadOnlyDictionary<string, string> Sysctls, string? Nft)> _hosts = [];
        private readonly List<(string Host, LabRoute Route)> _routes = [];
        private readonly Dictionary<string, int> _switchPorts = [];

        public List<LabWire> Wires { get; } = [];

        public void AddHost(string name, LabRole role, bool forwarding, IReadOnlyDictionary<string, string>? sysctls = null, string? nftScript = null) =>
            _hosts.Add((name, role, forwarding, sysctls ?? new Dictionary<string, string>(), nftScript));

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
                h.Forwarding ? new Dictionary<string, string>(h.Sysctls) { ["net/ipv4/ip_forward"] = "1" } : h.Sysctls,
                h.Nft)),
        ];
    }
}
