namespace Sitewire.Planner.Model;

/// <summary>A layer-2 segment (a LAN, a veth pair, the internet side of a router): neighbours resolve addresses on it.</summary>
public sealed class Segment(string name)
{
    private readonly Dictionary<Address, HostInterface> _byAddress = [];

    public string Name { get; } = name;

    internal void Attach(HostInterface member, Address address) => _byAddress.TryAdd(address, member);

    /// <summary>The interface that answers ARP for the address on this segment, if any.</summary>
    public HostInterface? Resolve(Address address) => _byAddress.GetValueOrDefault(address);
}
