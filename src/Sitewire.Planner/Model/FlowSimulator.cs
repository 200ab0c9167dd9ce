namespace Sitewire.Planner.Model;

/// <summary>
/// Walks one packet hop by hop through the modelled network, then its reply back.
///
/// At each host: conntrack restores the addresses of a reply (pre-routing); a request arriving for a mapped prefix gets
/// its destination mapped (nat pre-routing); a packet for one of the host's addresses is delivered (input filter);
/// otherwise it needs ip_forward, a route (longest prefix), the forward filter, masquerade or a source prefix map on the
/// way out (post-routing, requests only). Leaving a WireGuard interface the destination picks the
/// peer (cryptokey routing); the receiver must know the sender's key and allow the inner source. Leaving an ethernet
/// interface the next hop (gateway or destination) must answer on that segment.
/// </summary>
public sealed class FlowSimulator
{
    /// <summary>The source port of every simulated request: fixed, so traces are reproducible.</summary>
    public const ushort EphemeralPort = 40000;

    private const int MaxHops = 64;
    private readonly Network _network;

    public FlowSimulator(Network network)
    {
        _network = network;
        network.InvalidateIndexes();
    }

    public Network Network => _network;

    public FlowTrace Simulate(Host from, Address destination, Protocol protocol, ushort port)
    {
        var conntrack = new Conntrack();
        var sessions = new HashSet<(WireGuardInterface, WireGuardInterface)>();
        var request = new Packet(protocol, default, protocol == Protocol.Icmp ? (ushort)0 : EphemeralPort, destination, port);
        var forward = Walk(from, request, reply: false, conntrack, sessions, requestPath: null, expected: null);
        if (!forward.Path.Arrived)
        {
            if (forward.Path.Breakage is { Kind: BreakKind.ServiceNotOffered } refused && _network.Find(refused.Host) is { } refuser)
            {
                var refusal = Walk(refuser, forward.Delivered.Reversed(), reply: true, conntrack, sessions, forward.Path, expected: from);
                return new FlowTrace(forward.Sent, forward.Path, null, refusal.Path);
            }
            return new FlowTrace(forward.Sent, forward.Path, null);
        }
        var back = Walk(forward.DeliveredAt!, forward.Delivered.Reversed(), reply: true, conntrack, sessions, forward.Path, expected: from);
        return new FlowTrace(forward.Sent, forward.Path, back.Path.Arrived ? OneWayTcpDrop(forward.Path, back.Path) ?? back.Path : back.Path);
    }

    /// <summary>
    /// The reply's way with the breakage of a TCP connection whose reply went around a host that forwarded its request
    /// (<see cref="IHostNetfilter.CheckOneWayTcp"/>), or null when every host the request crossed sees the reply too.
    /// </summary>
    private PathTrace? OneWayTcpDrop(PathTrace forward, PathTrace back)
    {
        var replied = back.Hops.Select(hop => hop.Host).ToHashSet(StringComparer.Ordinal);
        foreach (var hop in forward.Hops.Skip(1).Where(hop => hop.OutInterface is not null && !replied.Contains(hop.Host)))
        {
            if (_network.Find(hop.Host) is { } host && host.Netfilter.CheckOneWayTcp(host, hop.Packet) is { } drop)
            {
                return back with { Breakage = new Breakage(BreakKind.Filtered, host.Name, $"{host.Name}: {drop}", $"on {host.Name}: {drop.Fix}") };
            }
        }
        return null;
    }

    private sealed record WalkResult(PathTrace Path, Packet Sent, Packet Delivered, Host? DeliveredAt);

    private WalkResult Walk(Host origin, Packet packet, bool reply, Conntrack conntrack, HashSet<(WireGuardInterface, WireGuardInterface)> sessions, PathTrace? requestPath, Host? expected)
    {
        var hops = new List<Hop>();
        var host = origin;
        HostInterface? inInterface = null;
        var sent = packet;
        WalkResult Broken(BreakKind kind, string reason, string fix, string? outInterface = null)
        {
            hops.Add(new Hop(host.Name, inInterface?.Name, outInterface, packet, new HopNotes().Add("dropped: " + reason)));
            return new WalkResult(new PathTrace(hops, new Breakage(kind, host.Name, reason, fix)), sent, packet, null);
        }

        for (var hopCount = 0; hopCount < MaxHops; hopCount++)
        {
            var notes = new HopNotes();
            // conntrack is per host: a reply is of a tracked connection only where its request passed (asymmetric routing
            // makes it new, or invalid, on a host the request went around)
            var tracked = reply && Crossed(requestPath!, host.Name);
            if (inInterface is not null && reply && !tracked && host.Netfilter.CheckInvalid(host, packet) is { } invalidDrop)
            {
                return Broken(BreakKind.Filtered, $"{host.Name}: {invalidDrop}", $"on {host.Name}: {invalidDrop.Fix}");
            }
            if (inInterface is not null && reply && conntrack.TryReverse(host, packet, out var restored))
            {
                notes.Add((packet, restored), static pair => Restoring(pair.packet, pair.restored));
                packet = restored;
            }
            if (inInterface is not null && !reply && Netmap(host, NetmapDirection.Destination, inInterface.Name, packet) is { } inward)
            {
                var mapped = inward.Apply(packet);
                conntrack.Record(host, packet, mapped);
                notes.Add(("destination", packet.Destination, mapped.Destination, inward), PrefixMapped);
                packet = mapped;
            }

            if (inInterface is null && packet.Source == default && host.Owns(packet.Destination))
            {
                packet = packet.WithSource(packet.Destination);
                sent = packet;
            }
            if (host.Owns(packet.Destination))
            {
                if (inInterface is not null && host.Netfilter.Check(Chain.Input, inInterface.Name, null, packet, tracked) is { } inputDrop)
                {
                    return Broken(BreakKind.Filtered, $"{host.Name} input filter: {inputDrop}", $"on {host.Name}: {inputDrop.Fix}");
                }
                if (inInterface is not null && host.Role == HostRole.Node)
                {
                    notes.Add(host.Netfilter.Accepting(Chain.Input, inInterface.Name, null, packet, tracked));
                }
                if (reply && expected is not null && host != expected)
                {
                    return Broken(BreakKind.WrongHost, $"the reply reached {host.Name}, not {expected.Name}", "keep the request's source address unique in the topology");
                }
                if (!reply && !host.Answers(packet.Protocol, packet.DestinationPort))
                {
                    return Broken(BreakKind.ServiceNotOffered, $"{host.Name} offers no service on {packet.DestinationPort}/{packet.Protocol.Name()}", $"declare the service on {host.Name} or fix the flow's port");
                }
                notes.Add(reply ? "reply delivered" : "delivered");
                hops.Add(new Hop(host.Name, inInterface?.Name, null, packet, notes));
                return new WalkResult(new PathTrace(hops, null), sent, packet, host);
            }

            if (inInterface is not null && !host.Forwards(packet.Destination))
            {
                return Broken(BreakKind.ForwardingDisabled, $"{FixAdvisor.ForwardingSysctl(packet.Destination)} is off on {host.Name}: a packet for {packet.Destination} arriving on {inInterface.Name} is not forwarded", FixAdvisor.EnableForwarding(host, packet.Destination));
            }

            var route = host.Routes.Lookup(packet.Destination);
            if (route is null)
            {
                return Broken(BreakKind.NoRoute, $"{host.Name} has no route for {Unrouted(packet, reply)}", FixAdvisor.NoWayOn(host, packet.Destination, requestPath, _network));
            }
            if (route.Origin == RouteOrigin.Uplink && packet.Destination.IsPrivate)
            {
                return Broken(BreakKind.InternetUplink, $"{host.Name} has no route for {Unrouted(packet, reply)} (only its default route to the internet via {route.Interface.Name}, where private addresses are dropped)", FixAdvisor.NoWayOn(host, packet.Destination, requestPath, _network), route.Interface.Name);
            }
            notes.Add((route.Prefix, route.Gateway, route.Interface.Name, route.Origin), static route => "route " + Route.Text(route.Prefix, route.Gateway, route.Name, route.Origin));

            if (inInterface is null && packet.Source == default)
            {
                if (host.SourceAddressFor(route.Interface, packet.Destination) is not { } source)
                {
                    return Broken(BreakKind.NoRoute, $"{host.Name} has no {packet.Destination.Family} address to send to {packet.Destination} from (none on {route.Interface.Name} nor on another interface)", $"give {host.Name}:{route.Interface.Name} an {packet.Destination.Family} address", route.Interface.Name);
                }
                packet = packet.WithSource(source);
                sent = packet;
            }
            if (inInterface is not null && host.Netfilter.Check(Chain.Forward, inInterface.Name, route.Interface.Name, packet, tracked) is { } forwardDrop)
            {
                return Broken(BreakKind.Filtered, $"{host.Name} forward filter: {forwardDrop}{(reply && !tracked ? $" (the reply is a new connection on {host.Name}: its request went another way)" : "")}", $"on {host.Name}: {forwardDrop.Fix}", route.Interface.Name);
            }
            if (inInterface is not null && host.Role == HostRole.Node)
            {
                notes.Add(host.Netfilter.Accepting(Chain.Forward, inInterface.Name, route.Interface.Name, packet, tracked));
            }
            if (!reply && !host.Owns(packet.Source) && host.Netfilter.Masquerades(route.Interface.Name, packet)
                && route.Interface.AddressFor(packet.Source) is { } masqueradeAddress)
            {
                var translated = packet.WithSource(masqueradeAddress);
                conntrack.Record(host, packet, translated);
                notes.Add((packet.Source, translated.Source), static nat => $"masquerade {nat.Item1} → {nat.Item2}");
                packet = translated;
            }
            else if (!reply && Netmap(host, NetmapDirection.Source, route.Interface.Name, packet) is { } outward)
            {
                var mapped = outward.Apply(packet);
                conntrack.Record(host, packet, mapped);
                notes.Add(("source", packet.Source, mapped.Source, outward), PrefixMapped);
                packet = mapped;
            }

            if (route.Interface is WireGuardInterface wireGuard)
            {
                var (next, decision, breakage) = Tunnel(host, wireGuard, packet, sessions);
                if (breakage is not null)
                {
                    hops.Add(new Hop(host.Name, inInterface?.Name, wireGuard.Name, packet, new HopNotes().Add("dropped: " + breakage.Reason)));
                    return new WalkResult(new PathTrace(hops, breakage), sent, packet, null);
                }
                notes.Add(decision!.Value, static tunnel => tunnel.ToString());
                hops.Add(new Hop(host.Name, inInterface?.Name, wireGuard.Name, packet, notes));
                host = next!.Host;
                inInterface = next;
                continue;
            }

            var nextHop = route.Gateway ?? packet.Destination;
            var neighbour = route.Interface.Segment?.Resolve(nextHop);
            if (neighbour is null)
            {
                return Broken(BreakKind.NoNeighbor, $"nothing on {host.Name}:{route.Interface.Name}'s segment answers for {nextHop}", $"put {nextHop} on that segment or fix the route on {host.Name}", route.Interface.Name);
            }
            if (host.Role == HostRole.Node && route.Interface == inInterface && packet.Destination.IsV4)
            {
                notes.Add(host.NoRedirectsOut.Contains(route.Interface.Name)
                    ? $"back out {route.Interface.Name} with send_redirects off: no ICMP redirect, the sender keeps sending through {host.Name}"
                    : $"back out {route.Interface.Name}: Linux sends the sender an ICMP redirect to {nextHop}, and its next packets may go there directly, around {host.Name}'s filter");
            }
            hops.Add(new Hop(host.Name, inInterface?.Name, route.Interface.Name, packet, notes));
            host = neighbour.Host;
            inInterface = neighbour;
        }
        return Broken(BreakKind.HopLimit, $"more than {MaxHops} hops: a routing loop", "fix the routes that send the packet in a circle");
    }

    private static bool Crossed(PathTrace path, string host)
    {
        foreach (var hop in path.Hops)
        {
            if (hop.Host == host)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The host's first prefix map of the direction that applies to the packet on the interface, or null.</summary>
    private static NetmapRule? Netmap(Host host, NetmapDirection direction, string interfaceName, Packet packet)
    {
        foreach (var map in host.Netmaps)
        {
            if (map.Direction == direction && map.Matches(interfaceName, packet))
            {
                return map;
            }
        }
        return null;
    }

    private static string Unrouted(Packet packet, bool reply) => reply ? $"the reply from {packet.Source} to {packet.Destination}" : $"{packet.Destination}";

    private static string PrefixMapped((string Side, Address From, Address To, NetmapRule Rule) map) => $"prefix map: {map.Side} {map.From} → {map.To} ({map.Rule})";

    /// <summary>What conntrack changes on a reply: its destination (the request's source NAT undone), its source (destination NAT undone), or both.</summary>
    private static string Restoring(Packet reply, Packet restored) =>
        "conntrack restores " + string.Join(", ", new[]
        {
            reply.Destination != restored.Destination ? $"destination {restored.Destination} (was {reply.Destination})" : null,
            reply.Source != restored.Source ? $"source {restored.Source} (was {reply.Source})" : null,
        }.OfType<string>());

    /// <summary>Cryptokey routing out of <paramref name="wireGuard"/> and the receiver's inbound checks.</summary>
    private (WireGuardInterface? Next, CryptokeyDecision? Decision, Breakage? Breakage) Tunnel(Host host, WireGuardInterface wireGuard, Packet packet, HashSet<(WireGuardInterface, WireGuardInterface)> sessions)
    {
        var destination = packet.Destination;
        var peer = wireGuard.PeerFor(packet.Destination, out var matched);
        if (peer is null)
        {
            return (null, null, new Breakage(BreakKind.NoPeerForDestination,
                host.Name,
                $"no peer for destination {destination} on {host.Name}:{wireGuard.Name} (no AllowedIPs cover it)",
                $"add {destination}'s subnet to the AllowedIPs of the peer that leads to it on {host.Name}"));
        }
        var remote = _network.FindByPublicKey(peer.PublicKey);
        if (remote is null)
        {
            return (null, null, new Breakage(BreakKind.UnknownPeerKey, host.Name,
                $"peer {peer.Name} on {host.Name} has a public key no node in the network holds",
                $"set peer {peer.Name}'s PublicKey on {host.Name} to the key of the node it means"));
        }
        var back = remote.PeerByKey(wireGuard.PublicKey);
        if (back is null)
        {
            return (null, null, new Breakage(BreakKind.SenderNotAPeer, remote.Host.Name,
                $"{remote.Host.Name} has no peer with {host.Name}'s public key: the handshake from {host.Name} is ignored",
                $"add {host.Name} (its public key) as a peer on {remote.Host.Name}"));
        }
        var canSend = peer.Endpoint is not null
            || sessions.Contains((wireGuard, remote))
            || (back.Endpoint is not null && back.PersistentKeepalive > 0);
        if (!canSend)
        {
            return (null, null, new Breakage(BreakKind.NoSession, host.Name,
                $"{host.Name} has no endpoint for peer {peer.Name}, and {peer.Name} does not keep a session up (no endpoint with PersistentKeepalive for {host.Name})",
                $"give {peer.Name} a reachable endpoint, or set PersistentKeepalive on {peer.Name}'s peer {host.Name}, or route through a relay"));
        }
        if (!sessions.Contains((wireGuard, remote)) && HandshakeDrop(peer.Endpoint is not null ? (wireGuard, remote) : (remote, wireGuard)) is { } handshakeDrop)
        {
            return (null, null, handshakeDrop);
        }
        if (!back.Allows(packet.Source))
        {
            return (null, null, new Breakage(BreakKind.SourceNotAllowed, remote.Host.Name,
                $"source {packet.Source} not allowed by peer {back.Name}'s AllowedIPs on node {remote.Host.Name} ({back.AllowedIpsText})",
                $"add {packet.Source}'s subnet to peer {back.Name}'s AllowedIPs on {remote.Host.Name}, or masquerade it on {host.Name}:{wireGuard.Name} ({FixAdvisor.MasqueradeCommands(host, wireGuard.Name, packet.Source)})"));
        }
        sessions.Add((wireGuard, remote));
        sessions.Add((remote, wireGuard));
        return (remote, new CryptokeyDecision(peer.Name, matched, remote.Host.Name, remote.Name, peer.Endpoint, back.PersistentKeepalive), null);
    }

    /// <summary>The listener's input filter on the handshake the dialer sends to its ListenPort, through their uplinks.</summary>
    private static Breakage? HandshakeDrop((WireGuardInterface Dialer, WireGuardInterface Listener) pair)
    {
        var (dialer, listener) = pair;
        if (listener is not { ListenPort: { } port, OuterInterface: { } outer } || outer.Addresses.Count == 0)
        {
            return null;
        }
        if (dialer.PeerByKey(listener.PublicKey)?.Endpoint is { } endpoint && EndpointPort(endpoint) is { } dialed && dialed != listener.DialedPort)
        {
            return new Breakage(BreakKind.HandshakePortClosed, listener.Host.Name,
                $"{dialer.Host.Name} sends its handshake to {endpoint}, but {listener.Host.Name} listens on UDP {port} and nothing forwards {dialed} to it",
                $"make {listener.Host.Name}'s endpoint port {port} (its listen_port), or, if a router in front of it forwards UDP {dialed} to {port}, mark it behind_nat");
        }
        var to = outer.Addresses[0].Address;
        var from = dialer.OuterInterface?.AddressFor(to) ?? default;
        var handshake = new Packet(Protocol.Udp, from, (ushort)(dialer.ListenPort ?? EphemeralPort), to, (ushort)port);
        return listener.Host.Netfilter.Check(Chain.Input, outer.Name, null, handshake, established: false) is { } drop
            ? new Breakage(BreakKind.Filtered, listener.Host.Name,
                $"{listener.Host.Name} input filter drops the WireGuard handshake from {dialer.Host.Name} on {outer.Name}: {drop}",
                $"on {listener.Host.Name}: {drop.Fix}")
            : null;
    }

    private static int? EndpointPort(string endpoint) =>
        int.TryParse(endpoint.AsSpan(endpoint.LastIndexOf(':') + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) ? port : null;
}
