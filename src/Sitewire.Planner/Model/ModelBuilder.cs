using Sitewire.Config.Topology;
using Sitewire.Config.WgQuick;
using Sitewire.Crypto;
using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Model;

/// <summary>
/// Builds the modelled network from a plan, so verify checks what plan emits. Per node: the WireGuard interface and
/// peers exactly as in its planned wg-quick file, the routes wg-quick installs (Table = auto), ip_forward and
/// masquerade from its structured rules, its LAN or internet uplink. Per site: one segment for the on-link LAN, one per
/// subnet behind a LAN router, the router when subnets or hosts use one, and the LAN hosts with gateways and services.
/// The model is IPv4: IPv6 addresses and prefixes are left out.
/// </summary>
public sealed partial class ModelBuilder
{
    private const string IpForwardSysctl = "net.ipv4.ip_forward";
    private static readonly uint UplinkBase = Ipv4.Parse("198.18.0.0");

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
    /// A host or node answers on its declared services and on every port a flow names for it, as the lab starts a
    /// responder for each; no other port answers (a flow that lands on the wrong node is refused there, as for real).
    /// </summary>
    private void AddFlowServices()
    {
        foreach (var flow in _plan.Topology.Flows)
        {
            if (flow.To is { Name: { } name, Port: { } port } && _network.Find(name) is { } host)
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
        host.IpForward = nodePlan.Rules.Sysctls.Any(s => s.Name == IpForwardSysctl && s.Value.Trim() == "1");

        var uplink = LanInterface(host, node) ?? host.AddInterface(node.PublicInterface ?? "eth0", PublicAddress(node), 24, _internet);
        AddWireGuard(host, nodePlan.Config, KeyText(nodePlan.PublicKey));
        host.AddRoute(Prefix.Any, uplink.Name, null, RouteOrigin.Uplink);
        AddPlannedFirewall(host, nodePlan);

        foreach (var rule in nodePlan.Rules.Nat.Where(r => r.Kind == NatKind.Masquerade))
        {
            if (Prefix.TryFrom(rule.SourcePrefix, out var source))
            {
                host.Masquerades.Add(new MasqueradeRule(rule.OutInterface, source));
            }
        }
    }

    /// <summary>The wg-quick interface as configured; its AllowedIP routes go in before the uplink default, as wg-quick's policy routing makes a 0.0.0.0/0 peer win.</summary>
    private void AddWireGuard(Host host, WgQuickConfig config, string publicKey)
    {
        var address = config.Interface.Addresses.FirstOrDefault(a => Ipv4.TryFrom(a.Address, out _));
        var wireGuard = host.AddWireGuard(_plan.InterfaceName, address is null ? 0 : Ipv4.FromIPAddress(address.Address), address?.PrefixLength ?? 32, publicKey);
        wireGuard.Mtu = config.Interface.Mtu ?? NetworkSettings.DefaultMtu;
        foreach (var peer in config.Peers)
        {
            var allowed = new List<Prefix>(peer.AllowedIps.Count);
            foreach (var network in peer.AllowedIps)
            {
                if (Prefix.TryFrom(network, out var prefix))
                {
                    allowed.Add(prefix);
                }
            }
            var key = KeyText(peer.PublicKey);
            wireGuard.AddPeer(peer.Name ?? key, key, allowed, peer.Endpoint, peer.PersistentKeepalive ?? 0);
        }
        if (!string.Equals(config.Interface.Table, "off", StringComparison.OrdinalIgnoreCase))
        {
            host.AddWgQuickRoutes(wireGuard);
        }
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

    private uint PublicAddress(Node node) =>
        node.Endpoint is { } endpoint && System.Net.IPAddress.TryParse(endpoint.Host, out var literal) && Ipv4.TryFrom(literal, out var address)
            ? address
            : UplinkBase + ++_nextUplinkAddress;
}
