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

/// <summary>A host in the modelled network: interfaces, main routing table, forwarding, NAT, filter, services.</summary>
public sealed class Host(string name, HostRole role)
{
    private readonly List<HostInterface> _interfaces = [];

    public string Name { get; } = name;
    public HostRole Role { get; } = role;
    public bool IpForward { get; set; }
    public RuleSyntax RuleSyntax { get; set; } = RuleSyntax.Nftables;
    public IReadOnlyList<HostInterface> Interfaces => _interfaces;
    public RoutingTable Routes { get; } = new();
    public List<MasqueradeRule> Masquerades { get; } = [];
    public Firewall Firewall { get; } = new();

    /// <summary>TCP/UDP ports the host answers on; ICMP echo is always answered.</summary>
    public HashSet<(Protocol Protocol, ushort Port)> Services { get; } = [];

    /// <summary>A host that answers on every port (a catch-all responder), whatever <see cref="Services"/> lists.</summary>
    public bool AnswersAnyPort { get; set; }

    public WireGuardInterface? WireGuard => _interfaces.OfType<WireGuardInterface>().FirstOrDefault();

    public HostInterface AddInterface(string interfaceName, uint address, int prefixLength, Segment segment)
    {
        var added = new HostInterface(this, interfaceName, address, prefixLength, segment);
        Attach(added);
        segment.Attach(added, address);
        return added;
    }

    /// <summary>Adds a WireGuard interface with its Address; wg-quick's connected route for the Address subnet comes with it.</summary>
    public WireGuardInterface AddWireGuard(string interfaceName, uint address, int prefixLength, string publicKey)
    {
        var added = new WireGuardInterface(this, interfaceName, address, prefixLength, publicKey);
        Attach(added);
        return added;
    }

    public bool AddRoute(Prefix prefix, string interfaceName, uint? gateway = null, RouteOrigin origin = RouteOrigin.Static) =>
        Routes.Add(new Route(prefix, Interface(interfaceName) ?? throw new ArgumentException($"{Name} has no interface {interfaceName}", nameof(interfaceName)), gateway, origin));

    /// <summary>The routes wg-quick (Table = auto) installs: one per AllowedIP of every peer, unless the table has it already.</summary>
    public void AddWgQuickRoutes(WireGuardInterface wireGuard) => Routes.AddWgQuickRoutes(wireGuard);

    public HostInterface? Interface(string interfaceName) => _interfaces.Find(i => i.Name == interfaceName);

    public HostInterface? InterfaceWithAddress(uint address) => _interfaces.Find(i => i.Address == address);

    public bool Owns(uint address) => InterfaceWithAddress(address) is not null;

    public bool Answers(Protocol protocol, ushort port) =>
        protocol == Protocol.Icmp || AnswersAnyPort || Services.Contains((protocol, port));

    public override string ToString() => Name;

    private void Attach(HostInterface added)
    {
        if (Interface(added.Name) is not null)
        {
            throw new ArgumentException($"{Name} already has an interface {added.Name}", nameof(added));
        }
        _interfaces.Add(added);
        Routes.Add(new Route(added.Subnet, added, null, RouteOrigin.Connected));
    }
}
