using System.Globalization;
using System.Net.Sockets;
using Sitewire.Config.Topology;
using Sitewire.Config.WgQuick;
using Sitewire.Netfilter;
using Sitewire.Planner.Expected;
using Sitewire.Planner.Layout;
using Sitewire.Planner.Plan;

namespace Sitewire.Host.Lab;

/// <summary>
/// The lab of a plan, built from its <see cref="NetworkLayout"/> (the value verify's model is built from): every layout
/// host is a namespace with its interfaces, addresses, routes, forwarding, NAT and starting firewall as laid out; a
/// point-to-point link is a veth pair; a LAN is a bridge namespace (named as its segment) its members plug into; the
/// internet is a router namespace holding the layout's gateway on one veth per attachment (plugged into the LAN of a
/// one-armed node) and a route to each public address. An endpoint given as a DNS name is answered through the lab's
/// hosts files with the address the layout gave it. The nodes run the plan's wg-quick configs; each flow carries verify's
/// prediction. Names of the lab's own namespaces carry a '/', which topology names cannot.
/// </summary>
public static class TopologyBlueprint
{
    /// <summary>The namespace that routes the internet segment.</summary>
    public const string InternetHost = "internet/router";

    public static LabBlueprint Create(NetworkPlan plan, NetworkLayout layout, Func<Flow, LabPrediction> predict)
    {
        var topology = plan.Topology;
        RefuseWhatTheLabCannotBuild(topology);
        var lab = new Lab();
        var internet = layout.Internet;
        lab.AddHost(new LabHost(InternetHost, LabRole.Internet, [.. internet.Attachments.SelectMany((a, k) => a.Addresses.Select(address => new LabRoute($"{address}/32", null, $"up{k}")))], Forwarding));
        foreach (var host in layout.Hosts)
        {
            lab.AddHost(new LabHost(host.Name, Role(host.Role), [.. host.Routes.Select(ToLabRoute)], host.Forwarding ? Forwarding : NoSysctls, host.Nat is { } nat ? NftSyntax.Script(StartingRuleset.OfNatRouter(nat)) : null, host.Firewall));
        }
        foreach (var segment in layout.Segments.Where(s => s.Kind == SegmentKind.Lan))
        {
            lab.AddSwitch(segment.Name);
        }
        foreach (var segment in layout.Segments.Where(s => s.Kind != SegmentKind.Internet))
        {
            var members = layout.Members(segment.Name).Select(m => ToLabInterface(m.Host.Name, m.Interface)).ToList();
            if (segment.Kind == SegmentKind.Link)
            {
                lab.Wire(members[0], members[1]);
            }
            else
            {
                members.ForEach(member => lab.Plug(segment.Name, member));
            }
        }
        foreach (var (attachment, k) in internet.Attachments.Select((a, k) => (a, k)))
        {
            var gateway = new LabInterface(InternetHost, $"up{k}", [$"{internet.Gateway}/32"]);
            if (attachment.Segment == internet.Segment)
            {
                lab.Wire(ToLabInterface(attachment.Host, layout.Host(attachment.Host).Interface(attachment.Interface)), gateway);
            }
            else
            {
                lab.Plug(attachment.Segment, gateway);
            }
        }
        var tunnels = plan.Nodes.Select(n => new LabTunnel(n.Name, plan.InterfaceName, WithoutDns(n.Config), n.Node.Endpoint is not null, ExpectedStates.For(plan, n, knownKeys: true))).ToList();
        var flows = topology.Flows.Select(f => ToLabFlow(topology, f, predict(f))).ToList();
        var names = layout.Names.ToDictionary(n => n.Key, n => n.Value.ToString());
        return new LabBlueprint(Path.GetFileNameWithoutExtension(topology.SourceFile), lab.Hosts, lab.Wires, tunnels, Services(topology, layout), flows, names);
    }

    /// <summary>
    /// A client's config without its <c>DNS =</c>: wg-quick hands DNS servers to resolvconf, which would set them for the
    /// whole machine (and is not installed for the lab). Name resolution is no part of what the lab proves.
    /// </summary>
    private static WgQuickConfig WithoutDns(WgQuickConfig config) =>
        config.Interface.Dns.Count == 0 ? config : config with { Interface = config.Interface with { Dns = [] } };

    private static readonly IReadOnlyDictionary<string, string> Forwarding =
        new Dictionary<string, string> { ["net/ipv4/ip_forward"] = "1", ["net/ipv6/conf/all/forwarding"] = "1" };

    private static readonly IReadOnlyDictionary<string, string> NoSysctls = new Dictionary<string, string>();

    /// <summary>
    /// What the layout describes and the lab cannot build: LAN hosts or routers without the node's LAN address to route
    /// through, and an IPv6 endpoint (the lab's internet is IPv4).
    /// </summary>
    private static void RefuseWhatTheLabCannotBuild(Topology topology)
    {
        foreach (var node in topology.Nodes)
        {
            if (node.Lan is { } lan && !lan.InterfaceAddresses.Any() && (topology.HostsAt(node.Name).Any() || lan.Subnets.Any(s => s.Via is not null)))
            {
                throw new ArgumentException($"{node.Location}: nodes[{node.Name}].lan.address: the lab needs the node's LAN address (address or address_v6) with its prefix length");
            }
            if (node.Endpoint is { } endpoint && TopologyValues.TryParseLiteral(endpoint.Host, out var literal) && literal.AddressFamily != AddressFamily.InterNetwork)
            {
                throw new ArgumentException($"{node.Location}: nodes[{node.Name}].endpoint: the lab's internet is IPv4; use an IPv4 address or a DNS name, not '{endpoint.Host}'");
            }
        }
    }

    private static LabRole Role(LayoutRole role) => role switch
    {
        LayoutRole.Node => LabRole.Node,
        LayoutRole.LanHost or LayoutRole.InternetHost => LabRole.LanHost,
        LayoutRole.LanRouter => LabRole.LanRouter,
        _ => LabRole.NatRouter,
    };

    private static LabInterface ToLabInterface(string host, LayoutInterface laidOut) =>
        new(host, laidOut.Name, [.. laidOut.Addresses.Select(a => a.ToString())]);

    private static LabRoute ToLabRoute(LayoutRoute route) =>
        new(route.Destination.PrefixLength == 0 && route.Destination.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? "default" : route.Destination.ToString(),
            route.Via?.ToString(), route.Interface, route.OnLink);

    private static LabFlow ToLabFlow(Topology topology, Flow flow, LabPrediction prediction)
    {
        var http = flow.To.Name is { } name && topology.FindHost(name) is { } host
            && host.Services.Any(s => s.Port == flow.To.Port && s.Protocol == TransportProtocol.Tcp && IsHttp(s));
        var protocol = flow.To.Port is null ? LabProtocol.Icmp
            : flow.To.Protocol == TransportProtocol.Udp ? LabProtocol.Udp
            : http ? LabProtocol.Http
            : LabProtocol.Tcp;
        return new LabFlow(flow.ToString(), flow.From, flow.To.Address.ToString(), flow.To.Port ?? 0, protocol, flow.Expect == FlowExpectation.Allow, prediction.Allowed, prediction.Explanation, prediction.Refused, prediction.ProbeMtu, prediction.EchoBlocked);
    }

    /// <summary>
    /// Declared TCP and UDP services on each of the host's addresses (a host listens on nothing else, as verify's model
    /// says), plus a responder for every port a flow names on a node (any address of the flow's family: 0.0.0.0 or ::) or
    /// on a host of the internet (its address).
    /// </summary>
    private static IReadOnlyList<LabService> Services(Topology topology, NetworkLayout layout)
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
        var internetHosts = layout.Hosts.Where(h => h.Role == LayoutRole.InternetHost)
            .SelectMany(h => h.Interfaces.SelectMany(i => i.Addresses).Select(a => (h.Name, Address: a.Address.ToString())))
            .ToDictionary(entry => entry.Address, entry => entry.Name, StringComparer.Ordinal);
        foreach (var flow in topology.Flows.Where(f => f.To is { Name: null, Port: not null }))
        {
            if (internetHosts.TryGetValue(flow.To.Address.ToString(), out var host))
            {
                var wanted = new LabService(host, flow.To.Address.ToString(), flow.To.Port!.Value, flow.To.Protocol == TransportProtocol.Udp ? LabProtocol.Udp : LabProtocol.Tcp);
                if (!services.Any(s => s.Host == wanted.Host && s.Port == wanted.Port && IsUdp(s) == IsUdp(wanted)))
                {
                    services.Add(wanted);
                }
            }
        }
        return services;
    }

    private static bool IsHttp(Service service) => string.Equals(service.Application, "http", StringComparison.OrdinalIgnoreCase);

    private static bool IsUdp(LabService service) => service.Protocol == LabProtocol.Udp;

    private static IEnumerable<LabService> HostServices(LanHost host, int port, LabProtocol protocol) =>
        host.Addresses.Select(address => new LabService(host.Name, address.ToString(), port, protocol));

    /// <summary>Collects namespaces and wires; a switch's ports are numbered as they are plugged.</summary>
    private sealed class Lab
    {
        private readonly Dictionary<string, int> _switchPorts = [];

        public List<LabHost> Hosts { get; } = [];
        public List<LabWire> Wires { get; } = [];

        public void AddHost(LabHost host) => Hosts.Add(host);

        public void AddSwitch(string name)
        {
            Hosts.Add(new LabHost(name, LabRole.Switch, [], NoSysctls));
            _switchPorts[name] = 0;
        }

        public void Plug(string lanSwitch, LabInterface end)
        {
            var port = _switchPorts[lanSwitch]++;
            Wire(end, new LabInterface(lanSwitch, "p" + port.ToString(CultureInfo.InvariantCulture), []));
        }

        public void Wire(LabInterface a, LabInterface b) => Wires.Add(new LabWire(a, b));
    }
}
