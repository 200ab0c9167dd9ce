using System.Net;

namespace Sitewire.Config.Topology;

/// <summary>A site node's LAN side: the interface, the node's own address on it, and the prefixes it serves.</summary>
public sealed record LanSettings(string Interface, IPAddress? Address, int? PrefixLength, IReadOnlyList<LanSubnet> Subnets);
