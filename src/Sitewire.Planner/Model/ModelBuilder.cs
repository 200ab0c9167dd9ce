using Sitewire.Config.Topology;
using Sitewire.Config.WgQuick;
using Sitewire.Crypto;
using Sitewire.Planner.Layout;
using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Model;

/// <summary>
/// Builds the modelled network from a plan and its <see cref="NetworkLayout"/>, so verify checks what plan emits on the
/// network the lab builds: every host, interface, address, route, forwarding and NAT router of the layout as it is; per
/// node on top, the WireGuard interface and peers exactly as in its planned wg-quick file, the routes wg-quick installs
/// (Table = auto), ip_forward, masquerade and prefix maps from its structured rules and its planned firewall; the services hosts
/// answer on. The internet gateway of the layout is the model's internet segment itself: every public address on it
/// answers there. IPv4 and IPv6 alike: every address, AllowedIP, route and masquerade of the plan, of either family.
/// </summary>
public sealed partial class ModelBuilder
{
    private const string IpForwardSysctl = "net.ipv4.ip_forward";
    private const string Ipv6ForwardSysctl = "net.ipv6.conf.all.forwarding";

    private readonly NetworkPlan _plan;
    private readonly NetworkLayout _layout;
    private readonly Network _network = new();
    private readonly Dictionary<Key, string> _keyText = [];

    private ModelBuilder(NetworkPlan plan, NetworkLayout layout)
    {
        _plan = plan;
        _layout = layout;
    }

    public static Network Build(NetworkPlan plan) => Build(plan, NetworkLayoutBuilder.Build(plan));

    public static Network Build(NetworkPlan plan, NetworkLayout layout)
    {
        var builder = new ModelBuilder(plan, layout);
        foreach (var laidOut in layout.Hosts)
        {
            builder.AddHost(laidOut);
        }
        foreach (var nodePlan in plan.Nodes)
        {
            builder.AddNode(nodePlan, layout.Host(nodePlan.Name));
        }
        foreach (var laidOut in layout.Hosts)
        {
            builder.AddRoutes(laidOut);
        }
        builder.AddServices();
        return builder._network;
    }

    private void AddHost(LayoutHost laidOut)
    {
        var host = _network.AddHost(laidOut.Name, laidOut.Role switch
        {
            LayoutRole.Node => HostRole.Node,
            LayoutRole.LanHost or LayoutRole.InternetHost => HostRole.LanHost,
            _ => HostRole.Router,
        });
        host.IpForward = laidOut.Forwarding;
        host.Ipv6Forward = laidOut.Forwarding;
        foreach (var laidOutInterface in laidOut.Interfaces)
        {
            var segment = _network.Segment(laidOutInterface.Segment);
            HostInterface? added = null;
            foreach (var assigned in laidOutInterface.Addresses)
            {
                added = added is null
                    ? host.AddInterface(laidOutInterface.Name, Address.From(assigned.Address), assigned.PrefixLength, segment)
                    : added.AddAddress(Address.From(assigned.Address), assigned.PrefixLength);
            }
        }
        if (laidOut.Nat is { } nat)
        {
            host.Ruleset = StartingRuleset.OfNatRouter(nat);
        }
    }

    /// <summary>The layout's routes; one via the internet gateway goes straight onto the internet segment.</summary>
    private void AddRoutes(LayoutHost laidOut)
    {
        var host = _network.Find(laidOut.Name)!;
        foreach (var route in laidOut.Routes)
        {
            var gateway = route.Via is null || route.Via.Equals(_layout.Internet.Gateway) ? (Address?)null : Address.From(route.Via);
            host.AddRoute(Prefix.From(route.Destination), route.Interface, gateway, route.Uplink ? RouteOrigin.Uplink : RouteOrigin.Static);
        }
    }

    /// <summary>
    /// A LAN host answers on its declared services only (<c>services:</c>), as a real one does: a flow to another port is
    /// refused there. A node, which has no <c>services:</c>, answers on every port a flow names for it (whoever runs those
    /// services), as the lab starts a responder for each; no other port answers (a flow that lands on the wrong node is
    /// refused there, as for real). A host on the internet answers likewise on every port a flow to its address names.
    /// </summary>
    private void AddServices()
    {
        foreach (var lanHost in _plan.Topology.Hosts)
        {
            _network.Find(lanHost.Name)?.Services.UnionWith(lanHost.Services.Select(s => (ProtocolNames.FromTopology(s.Protocol), (ushort)s.Port)));
        }
        foreach (var flow in _plan.Topology.Flows)
        {
            if (flow.To is { Name: { } name, Port: { } port } && _network.Find(name) is { Role: HostRole.Node } host)
            {
                host.Services.Add((ProtocolNames.FromTopology(flow.To.Protocol), (ushort)port));
            }
            else if (flow.To is { Name: null, Port: { } literalPort } && InternetHostAt(flow.To.Address) is { } internetHost)
            {
                _network.Find(internetHost.Name)!.Services.Add((ProtocolNames.FromTopology(flow.To.Protocol), (ushort)literalPort));
            }
        }
    }

    private LayoutHost? InternetHostAt(System.Net.IPAddress address) =>
        _layout.Hosts.FirstOrDefault(h => h.Role == LayoutRole.InternetHost && h.Interfaces.Any(i => i.Addresses.Any(a => a.Address.Equals(address))));

    private void AddNode(NodePlan nodePlan, LayoutHost laidOut)
    {
        var node = nodePlan.Node;
        var host = _network.Find(node.Name)!;
        host.RuleSyntax = nodePlan.Backend == RuleBackend.Iptables ? RuleSyntax.Iptables : RuleSyntax.Nftables;
        host.IpForward = SysctlOn(nodePlan, IpForwardSysctl);
        host.Ipv6Forward = SysctlOn(nodePlan, Ipv6ForwardSysctl);
        var wireGuard = AddWireGuard(host, nodePlan.Config, KeyText(nodePlan.PublicKey));
        wireGuard.OuterInterface = laidOut.Uplink is { } uplink ? host.Interface(uplink) : null;
        wireGuard.DialedPort = node.PortReaching(wireGuard.ListenPort);
        AddPlannedFirewall(host, nodePlan, laidOut.Firewall);
        AddMtuFacts(host, nodePlan, wireGuard.OuterInterface);
        host.NoRedirectsOut.UnionWith(host.Interfaces.Select(i => i.Name).Where(name =>
            SysctlIs(nodePlan, NodeRulesPlanner.AllSendRedirects, "0") && SysctlIs(nodePlan, NodeRulesPlanner.SendRedirects(name), "0")));
        foreach (var map in nodePlan.Rules.Maps)
        {
            var (real, mapped) = (Prefix.From(map.Real), Prefix.From(map.Mapped));
            host.Netmaps.Add(new NetmapRule(NetmapDirection.Destination, map.Tunnel, mapped, real));
            host.Netmaps.Add(new NetmapRule(NetmapDirection.Source, map.Tunnel, real, mapped));
        }
    }

    private static bool SysctlOn(NodePlan nodePlan, string name) => SysctlIs(nodePlan, name, "1");

    private static bool SysctlIs(NodePlan nodePlan, string name, string value) =>
        nodePlan.Rules.Sysctls.Any(s => s.Name == name && s.Value.Trim() == value);

    /// <summary>The wg-quick interface as configured; its AllowedIP routes go in before the uplink default, as wg-quick's policy routing makes a 0.0.0.0/0 peer win.</summary>
    private WireGuardInterface AddWireGuard(Host host, WgQuickConfig config, string publicKey)
    {
        var wireGuard = host.AddWireGuard(_plan.InterfaceName, publicKey);
        wireGuard.ListenPort = config.Interface.ListenPort;
        foreach (var address in config.Interface.Addresses)
        {
            wireGuard.AddAddress(Address.From(address.Address), address.PrefixLength);
        }
        wireGuard.Mtu = config.Interface.Mtu ?? NetworkSettings.DefaultMtu;
        var allowedByPeer = new Prefix[config.Peers.Count][];
        for (var peer = 0; peer < allowedByPeer.Length; peer++)
        {
            var allowedIps = config.Peers[peer].AllowedIps;
            allowedByPeer[peer] = new Prefix[allowedIps.Count];
            for (var index = 0; index < allowedIps.Count; index++)
            {
                allowedByPeer[peer][index] = Prefix.From(allowedIps[index]);
            }
        }
        wireGuard.ReservePeers(allowedByPeer.Length, allowedByPeer.SelectMany(allowed => allowed));
        for (var peer = 0; peer < allowedByPeer.Length; peer++)
        {
            var declared = config.Peers[peer];
            var key = KeyText(declared.PublicKey);
            wireGuard.AddPeer(declared.Name ?? key, key, allowedByPeer[peer], declared.Endpoint, declared.PersistentKeepalive ?? 0);
        }
        if (!string.Equals(config.Interface.Table, "off", StringComparison.OrdinalIgnoreCase))
        {
            host.AddWgQuickRoutes(wireGuard);
        }
        return wireGuard;
    }

    /// <summary>Base64 of a key, encoded once per key rather than once per peer entry.</summary>
    private string KeyText(Key key)
    {
        if (!_keyText.TryGetValue(key, out var text))
        {
            text = key.ToBase64();
            _keyText.Add(key, text);
        }
        return text;
    }
}
