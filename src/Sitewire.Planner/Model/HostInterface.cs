namespace Sitewire.Planner.Model;

/// <summary>An interface of a host: its address (with prefix length) and the segment it is plugged into.</summary>
public class HostInterface(Host host, string name, uint address, int prefixLength, Segment? segment)
{
    public Host Host { get; } = host;
    public string Name { get; } = name;
    public uint Address { get; } = address;
    public int PrefixLength { get; } = prefixLength;
    public Segment? Segment { get; } = segment;
    public int Mtu { get; set; } = 1500;

    public Prefix Subnet => new(Address, PrefixLength);

    public override string ToString() => $"{Host.Name}:{Name}";
}
