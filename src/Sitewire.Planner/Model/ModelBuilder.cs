using Sitewire.Config.Topology;
using Sitewire.Config.WgQuick;
using Sitewire.Crypto;
using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Model;

/// <summary>
/// Builds the modelled network from a plan, so verify checks what plan emits. Per node: the WireGuard interface and
/// peers exactly as in its planned wg-quick file, the routes wg-quick installs (Table = auto), ip_forward and
/// masquerade from its structured rules, its internet uplink and its LAN interface (two interfaces, as on the host). Per site: one segment for the on-link LAN, one per
/// subnet behind a LAN router, the router when subnets or hosts use one, and the LAN hosts with gateways and services.
/// IPv4 and IPv6 alike: every address, AllowedIP, route and masquerade of the plan, of either family.
/// </summary>
public sealed partial class ModelBuilder
{
    private const string IpForwardSysctl = "net.ipv4.ip_forward";
    private const string Ipv6ForwardSysctl = "net.ipv6.conf.all.forwarding";
    private static readonly Address UplinkBase = Address.Parse("198.18.0.0");

    private readonly NetworkPlan _plan;
    private readonly Network _network = new();
    private readonly Segment _internet;
    private readonly Dictionary<Key, string> _keyText = [];
    private uint _nextUplinkAddress;

    private ModelBuilder(NetworkPlan plan)
    {
        _plan = plan;
        _internet = _network.Internet;
    }

    public static Network Build(NetworkPlan plan)
    {
        var builder = new ModelBuilder(plan);
        foreach (var nodePlan in plan.Nodes)
        {
            builder.AddNode(nodePlan);
        }
        foreach (var nodePlan in plan.Nodes.Where(n => n.Node.Lan is not null))
        {
            builder.AddSite(nodePlan);
        }
        builder.AddFlowServices();
        return builder._network;
    }

    /// <summary>
    /// A LAN host answers on its declared services only (<c>services:</c>), as a real one does: a flow to another port is
    /// refused there. A node, which has no <c>services:</c>, answers on every port a flow names for it (whoever runs those
    /// services), as the lab starts a responder for each; no other port answers (a flow that lands on the wrong node is
    /// refused there, as for real).
    /// </summary>
    private void AddFlowServices()
    {
        foreach (var flow in _plan.Topology.Flows)
        {
            if (flow.To is { Name: { } name, Port: { } port } && _network.Find(name) is { Role: HostRole.Node } host)
            {
                host.Services.Add((ModelProtocol(flow.To.Protocol), (ushort)port));
            }
        }
    }

    private void AddNode(NodePlan nodePlan)
    {
        var node = nodePlan.Node;
        var host = _network.AddHost(node.Name, HostRole.Node);
        host.RuleSyntax = nodePlan.Backend == RuleBackend.Iptables ? RuleSyntax.Iptables : RuleSyntax.Nftables;
        host.IpForward = SysctlOn(nodePlan, IpForwardSysctl);
        host.Ipv6Forward = SysctlOn(nodePlan, Ipv6ForwardSysctl);

        var lan = LanInterface(host, node);
        var uplink = lan is not null && node.PublicInterface == lan.Name ? lan : PublicInterface(host, node, lan?.Name);
        var wireGuard = AddWireGuard(host, nodePlan.Config, KeyText(nodePlan.PublicKey));
        wireGuard.OuterInterface = uplink;
        wireGuard.DialedPort = node.PortReaching(wireGuard.ListenPort);
        host.AddRoute(Prefix.AnyV4, uplink.Name, null, RouteOrigin.Uplink);
        host.AddRoute(Prefix.AnyV6, uplink.Name, null, RouteOrigin.Uplink);
        AddPlannedFirewall(host, nodePlan);
        host.NoRedirectsOut.UnionWith(host.Interfaces.Select(i => i.Name).Where(name =>
            SysctlIs(nodePlan, NodeRulesPlanner.AllSendRedirects, "0") && SysctlIs(nodePlan, NodeRulesPlanner.SendRedirects(name), "0")));

        foreach (var rule in nodePlan.Rules.Nat.Where(r => r.Kind == NatKind.Masquerade))
        {
            host.Masquerades.Add(new MasqueradeRule(rule.OutInterface, Prefix.From(rule.SourcePrefix)));
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
        foreach (var peer in config.Peers)
        {
            var allowed = new Prefix[peer.AllowedIps.Count];
            for (var index = 0; index < allowed.Length; index++)
            {
                allowed[index] = Prefix.From(peer.AllowedIps[index]);
            }
            var key = KeyText(peer.PublicKey);
            wireGuard.AddPeer(peer.Name ?? key, key, allowed, peer.Endpoint, peer.PersistentKeepalive ?? 0);
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

    /// <summary>
    /// The node's internet interface, beside its LAN interface as on the real host (a node with both on one interface
    /// declares <c>public_interface</c> equal to <c>lan.interface</c>): its endpoint's address when that is a literal (an
    /// IPv6 one beside a synthetic IPv4 address), else a synthetic one; named <c>public_interface</c>, else eth0 (wan0
    /// when the LAN is eth0).
    /// </summary>
    private HostInterface PublicInterface(Host host, Node node, string? lanName)
    {
        var literal = node.Endpoint is { } endpoint && System.Net.IPAddress.TryParse(endpoint.Host, out var parsed) ? Address.From(parsed) : (Address?)null;
        var v4 = literal is { IsV4: true } ? literal.Value : UplinkBase + ++_nextUplinkAddress;
        var uplink = host.AddInterface(node.PublicInterface ?? (lanName == "eth0" ? "wan0" : "eth0"), v4, 24, _internet);
        if (literal is { IsV4: false } v6)
        {
            uplink.AddAddress(v6, 64);
        }
        return uplink;
    }
}
