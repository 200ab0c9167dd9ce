namespace Sitewire.Planner.Model;

/// <summary>An address on an interface, with the prefix length of its connected subnet.</summary>
public readonly record struct InterfaceAddress(Address Address, int PrefixLength)
{
    public Prefix Subnet => new(Address, PrefixLength);

    /// <summary>The first of <paramref name="addresses"/> in the family of <paramref name="peer"/>.</summary>
    public static InterfaceAddress? FirstOfFamily(IReadOnlyList<InterfaceAddress> addresses, Address peer)
    {
        foreach (var assigned in addresses)
        {
            if (assigned.Address.IsV4 == peer.IsV4)
            {
                return assigned;
            }
        }
        return null;
    }

    public override string ToString() => $"{Address}/{PrefixLength}";
}

/// <summary>An interface of a host: its addresses (any mix of IPv4 and IPv6) and the segment it is plugged into.</summary>
public class HostInterface(Host host, string name, Segment? segment)
{
    private readonly List<InterfaceAddress> _addresses = [];

    public Host Host { get; } = host;
    public string Name { get; } = name;
    public Segment? Segment { get; } = segment;
    /// <summary>Ethernet's MTU, every interface's unless set otherwise.</summary>
    public const int EthernetMtu = 1500;

    public int Mtu { get; set; } = EthernetMtu;
    public IReadOnlyList<InterfaceAddress> Addresses => _addresses;

    /// <summary>Adds an address: its connected route goes into the host's table, and neighbours on the segment resolve it.</summary>
    public HostInterface AddAddress(Address address, int prefixLength)
    {
        var added = new InterfaceAddress(address, prefixLength);
        _addresses.Add(added);
        Host.Routes.Add(new Route(added.Subnet, this, null, RouteOrigin.Connected));
        Segment?.Attach(this, address);
        return this;
    }

    /// <summary>The first address of the same family as <paramref name="peer"/>: the source the kernel would pick for it.</summary>
    public Address? AddressFor(Address peer) => InterfaceAddress.FirstOfFamily(_addresses, peer)?.Address;

    public bool Owns(Address address)
    {
        foreach (var owned in _addresses)
        {
            if (owned.Address == address)
            {
                return true;
            }
        }
        return false;
    }

    public override string ToString() => $"{Host.Name}:{Name}";
}
