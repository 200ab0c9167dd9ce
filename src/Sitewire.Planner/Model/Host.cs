using Sitewire.Config.Topology;
using Sitewire.Netfilter;

namespace Sitewire.Planner.Model;

public enum HostRole
{
    /// <summary>A Sitewire node: runs WireGuard (relay, site gateway, road-warrior client).</summary>
    Node,
    /// <summary>A terminal or server on a site LAN.</summary>
    LanHost,
    /// <summary>A LAN's own router (the site's default gateway that is not the Sitewire node).</summary>
    Router,
}

/// <summary>Which NAT/filter tool the host's rules and the model's fixes are written for.</summary>
public enum RuleSyntax
{
    Nftables,
    Iptables,
}

/// <summary>A host in the modelled network: interfaces, main routing table, forwarding, NAT (masquerade, prefix maps), filter, services.</summary>
public sealed class Host(string name, HostRole role)
{
    private readonly List<HostInterface> _interfaces = [];
    private IHostNetfilter? _netfilter;

    public string Name { get; } = name;
    public HostRole Role { get; } = role;
    /// <summary>net.ipv4.ip_forward.</summary>
    public bool IpForward { get; set; }

    /// <summary>net.ipv6.conf.all.forwarding.</summary>
    public bool Ipv6Forward { get; set; }

    /// <summary>
    /// Interfaces the host sends no ICMP redirects out of (net.ipv4.conf.all.send_redirects and the interface's both 0,
    /// as the plan sets on a node's LAN interface); Linux sends them out of every other one.
    /// </summary>
    public HashSet<string> NoRedirectsOut { get; } = new(StringComparer.Ordinal);
    public RuleSyntax RuleSyntax { get; set; } = RuleSyntax.Nftables;
    public IReadOnlyList<HostInterface> Interfaces => _interfaces;
    public RoutingTable Routes { get; } = new();
    /// <summary>The nat table's 1:1 prefix translations (mapped LAN subnets), PREROUTING and POSTROUTING.</summary>
    public List<NetmapRule> Netmaps { get; } = [];

    /// <summary>The host's netfilter rules as values: the ones it starts with, then the plan's (filter, masquerade, MSS clamp).</summary>
    public NetfilterRuleset Ruleset { get; set; } = NetfilterRuleset.Empty;

    /// <summary>The rules of <see cref="Ruleset"/>'s flow policy chain, with the deny flow each was planned from (null: no deny flow).</summary>
    public IReadOnlyDictionary<NetfilterRule, FlowRule?> FlowPolicyRules { get; set; } = new Dictionary<NetfilterRule, FlowRule?>();

    /// <summary>firewalld, on a host that runs it: it judges a new connection by its zones once the rules let it through.</summary>
    public Firewalld? Firewalld { get; set; }

    /// <summary>What the simulator asks of the host's netfilter: the planned <see cref="Ruleset"/> and <see cref="Firewalld"/>, unless replaced (verify --live).</summary>
    public IHostNetfilter Netfilter
    {
        get => _netfilter ??= new PlannedNetfilter(this);
        set => _netfilter = value;
    }

    /// <summary>TCP/UDP ports the host answers on; ICMP echo is always answered.</summary>
    public HashSet<(Protocol Protocol, ushort Port)> Services { get; } = [];

    /// <summary>The node clamps the MSS of TCP SYNs it forwards out of or into its WireGuard interface (the plan's clamp).</summary>
    public bool ClampsMss { get; set; }

    /// <summary>The host's firewall drops the ICMP errors it sends (fragmentation needed, packet too big): path MTU discovery through it fails.</summary>
    public bool DropsIcmpErrors { get; set; }

    /// <summary>A host that answers on every port (a catch-all responder), whatever <see cref="Services"/> lists.</summary>
    public bool AnswersAnyPort { get; set; }

    public WireGuardInterface? WireGuard => _interfaces.OfType<WireGuardInterface>().FirstOrDefault();

    /// <summary>Whether packets of the address's family are forwarded.</summary>
    public bool Forwards(Address address) => address.IsV4 ? IpForward : Ipv6Forward;

    /// <summary>Adds an interface on a segment with its first address; <see cref="HostInterface.AddAddress"/> adds more.</summary>
    public HostInterface AddInterface(string interfaceName, Address address, int prefixLength, Segment segment) =>
        Attach(new HostInterface(this, interfaceName, segment)).AddAddress(address, prefixLength);

    /// <summary>Adds a WireGuard interface without addresses; each Address added brings wg-quick's connected route.</summary>
    public WireGuardInterface AddWireGuard(string interfaceName, string publicKey) =>
        Attach(new WireGuardInterface(this, interfaceName, publicKey));

    public bool AddRoute(Prefix prefix, string interfaceName, Address? gateway = null, RouteOrigin origin = RouteOrigin.Static) =>
        Routes.Add(new Route(prefix, Interface(interfaceName) ?? throw new ArgumentException($"{Name} has no interface {interfaceName}", nameof(interfaceName)), gateway, origin));

    /// <summary>The routes wg-quick (Table = auto) installs: one per AllowedIP of every peer, unless the table has it already.</summary>
    public void AddWgQuickRoutes(WireGuardInterface wireGuard) => Routes.AddWgQuickRoutes(wireGuard);

    /// <summary>
    /// The source address the kernel picks for a packet to <paramref name="destination"/> leaving by
    /// <paramref name="outgoing"/> (RFC 6724 as Linux applies it, over the addresses the model has, all of global scope):
    /// an address of the destination's family on the outgoing interface (rule 5), else one on any other interface of the
    /// host; among several, the longest prefix in common with the destination (rule 8), then the first configured.
    /// </summary>
    public Address? SourceAddressFor(HostInterface outgoing, Address destination)
    {
        static Address? Best(IEnumerable<InterfaceAddress> addresses, Address destination) =>
            addresses.Where(a => a.Address.IsV4 == destination.IsV4)
                .Select(a => a.Address)
                .OrderByDescending(a => UInt128.LeadingZeroCount(a.Value ^ destination.Value))
                .Cast<Address?>()
                .FirstOrDefault();
        return Best(outgoing.Addresses, destination)
            ?? Best(_interfaces.Where(i => i != outgoing).SelectMany(i => i.Addresses), destination);
    }

    public HostInterface? Interface(string interfaceName)
    {
        foreach (var candidate in _interfaces)
        {
            if (candidate.Name == interfaceName)
            {
                return candidate;
            }
        }
        return null;
    }

    public HostInterface? InterfaceWithAddress(Address address)
    {
        foreach (var candidate in _interfaces)
        {
            if (candidate.Owns(address))
            {
                return candidate;
            }
        }
        return null;
    }

    public bool Owns(Address address) => InterfaceWithAddress(address) is not null;

    public bool Answers(Protocol protocol, ushort port) =>
        protocol == Protocol.Icmp || AnswersAnyPort || Services.Contains((protocol, port));

    public override string ToString() => Name;

    private T Attach<T>(T added) where T : HostInterface
    {
        if (Interface(added.Name) is not null)
        {
            throw new ArgumentException($"{Name} already has an interface {added.Name}", nameof(added));
        }
        _interfaces.Add(added);
        return added;
    }
}
