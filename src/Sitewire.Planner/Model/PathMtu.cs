namespace Sitewire.Planner.Model;

/// <summary>
/// The MTU of a flow that holds, per direction, from the hops the model walked: each hop's egress MTU (LAN 1500, the tunnel's
/// MTU, an uplink's <c>uplink_mtu</c>), the outer packet at each WireGuard hop, and for TCP the full-size segment each side
/// sends: the MSS the other side advertised in its SYN (its own MTU minus 40 bytes of IPv4+TCP, 60 of IPv6+TCP), lowered
/// by every clamping node the SYN crossed (out of the tunnel: the route's MTU; into it: the tunnel's). A segment above a
/// hop's MTU is shrunk by path MTU discovery when that hop sends the ICMP error, and is lost for good when it drops it.
/// </summary>
public static class PathMtu
{
    /// <summary>The flow's MTU verdict, or null when it does not hold both ways.</summary>
    public static FlowMtu? Analyze(Network network, FlowTrace trace)
    {
        if (!trace.Holds)
        {
            return null;
        }
        var forward = Hops(network, trace.Forward.Hops);
        var back = Hops(network, trace.Return!.Hops);
        if (trace.Request.Protocol != Protocol.Tcp)
        {
            return new FlowMtu(Plain(forward), Plain(back));
        }
        var headers = trace.Request.IsV4 ? Plan.MssClamp.Ipv4Headers : Plan.MssClamp.Ipv6Headers;
        var mssAtServer = Clamped(network, trace.Forward.Hops, FirstMtu(forward) - headers, headers);
        var mssAtClient = Clamped(network, trace.Return.Hops, FirstMtu(back) - headers, headers);
        return new FlowMtu(
            Segments(network, forward, Math.Min(mssAtClient, FirstMtu(forward) - headers) + headers, trace.Forward.Hops[0].Host),
            Segments(network, back, Math.Min(mssAtServer, FirstMtu(back) - headers) + headers, trace.Return.Hops[0].Host));
    }

    private static List<HopMtu> Hops(Network network, IReadOnlyList<Hop> hops)
    {
        var result = new List<HopMtu>(hops.Count);
        for (var index = 0; index < hops.Count; index++)
        {
            var hop = hops[index];
            var egress = hop.OutInterface is null ? null : network.Find(hop.Host)?.Interface(hop.OutInterface);
            if (egress is null)
            {
                result.Add(new HopMtu(hop.Host, hop.OutInterface, null, null));
                continue;
            }
            var outer = egress is WireGuardInterface wireGuard && index + 1 < hops.Count && network.Find(hops[index + 1].Host)?.WireGuard is { } receiver
                ? Outer(wireGuard, receiver, hop.Packet.Destination)
                : null;
            result.Add(new HopMtu(hop.Host, hop.OutInterface, egress.Mtu, outer));
        }
        return result;
    }

    private static OuterMtu Outer(WireGuardInterface sender, WireGuardInterface receiver, Address destination)
    {
        var endpoint = sender.PeerFor(destination, out _)?.Endpoint ?? receiver.PeerByKey(sender.PublicKey)?.Endpoint;
        var senderUplink = sender.OuterInterface?.Mtu ?? HostInterface.EthernetMtu;
        var receiverUplink = receiver.OuterInterface?.Mtu ?? HostInterface.EthernetMtu;
        var bySender = senderUplink <= receiverUplink;
        return new OuterMtu(sender.Mtu + WireGuardOverhead.Over(endpoint), Math.Min(senderUplink, receiverUplink),
            bySender ? sender.Host.Name : receiver.Host.Name, bySender);
    }

    private static int FirstMtu(List<HopMtu> hops) => hops.FirstOrDefault(h => h.Mtu is not null)?.Mtu ?? HostInterface.EthernetMtu;

    private static int PathOf(List<HopMtu> hops) => hops.Where(h => h.Mtu is not null).Select(h => h.Mtu!.Value).DefaultIfEmpty(HostInterface.EthernetMtu).Min();

    private static DirectionMtu Plain(List<HopMtu> hops) =>
        new(hops, PathOf(hops), null, SegmentFit.Fits, null, $"path MTU {PathOf(hops)}");

    /// <summary>The MSS a SYN carries on arrival: <paramref name="mss"/> lowered at each clamping node it crosses to or from the tunnel.</summary>
    private static int Clamped(Network network, IReadOnlyList<Hop> hops, int mss, int headers)
    {
        foreach (var hop in hops)
        {
            if (network.Find(hop.Host) is { ClampsMss: true, WireGuard: { } wireGuard }
                && hop.OutInterface is not null
                && (hop.OutInterface == wireGuard.Name || hop.InInterface == wireGuard.Name))
            {
                mss = Math.Min(mss, wireGuard.Mtu - headers);
            }
        }
        return mss;
    }

    private static DirectionMtu Segments(Network network, List<HopMtu> hops, int segment, string sender)
    {
        var path = PathOf(hops);
        var narrow = hops.FirstOrDefault(h => h.Mtu < segment);
        if (narrow is null)
        {
            return new DirectionMtu(hops, path, segment, SegmentFit.Fits, null, $"full-size TCP segments from {sender} ({segment} bytes) fit the path MTU {path}");
        }
        var where = $"{narrow.Host}:{narrow.OutInterface} (mtu {narrow.Mtu})";
        return network.Find(narrow.Host) is { DropsIcmpErrors: true }
            ? new DirectionMtu(hops, path, segment, SegmentFit.BlackHole, narrow.Host,
                $"full-size TCP segments from {sender} ({segment} bytes) exceed {where}, and {narrow.Host} drops the ICMP fragmentation-needed that would shrink them: they are lost every time, the connection stalls after the handshake (small packets and ping still pass)")
            : new DirectionMtu(hops, path, segment, SegmentFit.AfterPmtuDiscovery, narrow.Host,
                $"full-size TCP segments from {sender} ({segment} bytes) exceed {where}: {narrow.Host} sends ICMP fragmentation-needed and {sender} shrinks them (path MTU discovery; no MSS clamp on the way)");
    }
}
