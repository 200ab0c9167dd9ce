using System.Net;
using Sitewire.Netfilter;

namespace Sitewire.Planner.Model;

/// <summary>The model's packet as the netfilter evaluator sees it at a hook: host prefixes, the protocol as nftables names it, conntrack's state.</summary>
public static class NetfilterPackets
{
    public static NetfilterPacket Of(Packet packet, string? inInterface, string? outInterface, bool established)
    {
        var family = packet.IsV4 ? IpFamily.V4 : IpFamily.V6;
        var protocol = packet.Protocol == Protocol.Icmp ? (packet.IsV4 ? "icmp" : "ipv6-icmp") : packet.Protocol.Name();
        return new NetfilterPacket(family, inInterface, outInterface, HostPrefix(packet.Source, family), HostPrefix(packet.Destination, family), protocol,
            packet.Protocol == Protocol.Icmp ? null : packet.DestinationPort, established ? "established" : "new");
    }

    public static string Hook(Chain chain) => chain == Chain.Input ? "input" : "forward";

    private static IPNetwork HostPrefix(Address address, IpFamily family) => new(address.ToIPAddress(), family.HostPrefixLength);
}
