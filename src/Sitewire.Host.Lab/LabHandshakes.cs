using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Sitewire.Host.Namespaces;

namespace Sitewire.Host.Lab;

/// <summary>
/// Brings the lab's WireGuard sessions up before any flow runs, as an admin checks `wg show latest-handshakes` before
/// testing, so that flows never race a first handshake:
/// <list type="bullet">
/// <item>Kept-up sessions (a peer with Endpoint and PersistentKeepalive: nodes behind NAT, road-warriors) come up on
/// their own; the lab waits, bounded, until each has a handshake, so the flows do not race the first keepalive on a
/// loaded machine.</item>
/// <item>Two nodes that dial each other (each has the other as a peer with an Endpoint, e.g. a relay and a public
/// site) get their session from one side only: one datagram from the node whose name sorts first to the other's
/// overlay address, until both sides show the handshake. Left to the flows, which run in parallel in both directions,
/// both nodes start a handshake at the same instant; the two initiations cross, each node answers the other's and so
/// drops its own handshake state, both responses are rejected ("Received invalid response message" in wireguard-go's
/// log), and nothing passes until a retry after REKEY_TIMEOUT (5 s + jitter) — which on a loaded machine can cross
/// again, past the flows' timeout. Once the session is up only its initiator rekeys, so the pair cannot cross later.</item>
/// </list>
/// A session still missing at the deadline is named, and the flows run anyway: they show what that means.
/// </summary>
internal static class LabHandshakes
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Retrigger = TimeSpan.FromSeconds(1);

    /// <summary>A session the lab opens from one side: the initiator sends to <paramref name="ResponderAddress"/> through the tunnel.</summary>
    internal sealed record MutualPair(LabTunnel Initiator, string InitiatorKey, LabTunnel Responder, string ResponderKey, IPAddress ResponderAddress)
    {
        public override string ToString() => $"{Initiator.Host} → {Responder.Host}";
    }

    public static void Wait(LabBlueprint blueprint, LabState state, TimeSpan deadline, Action<string> log)
    {
        var clock = Stopwatch.StartNew();
        var pending = blueprint.Tunnels.SelectMany(KeptUp).ToHashSet();
        if (pending.Count == 0)
        {
            return;
        }
        var total = pending.Count;
        while (pending.Count > 0 && clock.Elapsed < deadline)
        {
            foreach (var tunnel in pending.Select(p => p.Tunnel).Distinct().ToList())
            {
                foreach (var peerKey in Handshaken(state, tunnel))
                {
                    pending.Remove((tunnel, peerKey));
                }
            }
            if (pending.Count > 0)
            {
                Thread.Sleep(Poll);
            }
        }
        log(pending.Count == 0
            ? $"[lab] handshakes: {total} kept-up sessions established... ok {clock.Elapsed.TotalSeconds:0.0}s"
            : $"[lab] handshakes: {pending.Count} of {total} kept-up sessions not established after {deadline.TotalSeconds:0}s ({string.Join(", ", pending.Select(p => p.Tunnel.Host).Distinct().Order(StringComparer.Ordinal))})");
    }

    /// <summary>Opens every <see cref="MutualPairs"/> session from its initiator and waits, bounded, until both sides show it.</summary>
    public static void Establish(LabBlueprint blueprint, LabState state, TimeSpan deadline, Action<string> log)
    {
        var pairs = MutualPairs(blueprint.Tunnels);
        if (pairs.Count == 0)
        {
            return;
        }
        var clock = Stopwatch.StartNew();
        var pending = pairs.ToList();
        TimeSpan? lastTrigger = null;
        while (pending.Count > 0 && clock.Elapsed < deadline)
        {
            if (lastTrigger is not { } last || clock.Elapsed - last >= Retrigger)
            {
                lastTrigger = clock.Elapsed;
                foreach (var pair in pending)
                {
                    Trigger(state, pair);
                }
                Thread.Sleep(Poll);
            }
            pending.RemoveAll(pair => Handshaken(state, pair.Initiator).Contains(pair.ResponderKey) && Handshaken(state, pair.Responder).Contains(pair.InitiatorKey));
            if (pending.Count > 0)
            {
                Thread.Sleep(Poll);
            }
        }
        log(pending.Count == 0
            ? $"[lab] sessions: {string.Join(", ", pairs)} opened from one side (both dial each other)... ok {clock.Elapsed.TotalSeconds:0.0}s"
            : $"[lab] sessions: {string.Join(", ", pending)} not established after {deadline.TotalSeconds:0}s");
    }

    /// <summary>
    /// Pairs of nodes that each have the other as a peer with an Endpoint, once each, the node whose name sorts first
    /// (ordinal) as initiator; the responder's interface address the initiator routes to it is where the trigger goes.
    /// </summary>
    internal static IReadOnlyList<MutualPair> MutualPairs(IEnumerable<LabTunnel> tunnels)
    {
        var nodes = LabNodeConfig.Of(tunnels);
        var byKey = LabNodeConfig.ByKey(nodes);
        var pairs = new List<MutualPair>();
        foreach (var a in nodes.OrderBy(n => n.Tunnel.Host, StringComparer.Ordinal))
        {
            foreach (var toB in a.Config.Peers.Where(p => p.Endpoint is not null))
            {
                if (!byKey.TryGetValue(toB.PublicKey.ToBase64(), out var b)
                    || string.CompareOrdinal(a.Tunnel.Host, b.Tunnel.Host) >= 0
                    || b.PeerFor(a) is not { Endpoint: not null }
                    || b.Config.Interface.Addresses.Select(x => x.Address).FirstOrDefault(address => toB.AllowedIps.Any(n => n.Contains(address))) is not { } address)
                {
                    continue;
                }
                pairs.Add(new MutualPair(a.Tunnel, a.PublicKey, b.Tunnel, b.PublicKey, address));
            }
        }
        return pairs;
    }

    /// <summary>One datagram (discard port) from the initiator's namespace into the tunnel: the initiator starts the handshake.</summary>
    private static void Trigger(LabState state, MutualPair pair)
    {
        try
        {
            using var socket = NamespaceThread.Run(state.NamespaceOf(pair.Initiator.Host),
                () => new Socket(pair.ResponderAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp));
            socket.SendTo("sitewire lab: open session\n"u8, new IPEndPoint(pair.ResponderAddress, 9));
        }
        catch (SocketException)
        {
            // No route yet or refused: the next trigger tries again, the deadline bounds it.
        }
    }

    /// <summary>(tunnel, peer public key) for each peer the node dials and keeps alive.</summary>
    private static IEnumerable<(LabTunnel Tunnel, string PeerKey)> KeptUp(LabTunnel tunnel) =>
        tunnel.Config.Peers.Where(p => p.Endpoint is not null && p.PersistentKeepalive is > 0).Select(p => (tunnel, p.PublicKey.ToBase64()));

    /// <summary>The peers of the node's interface with a handshake (`wg show IF latest-handshakes`: key, then seconds since the epoch, 0 for none).</summary>
    private static IEnumerable<string> Handshaken(LabState state, LabTunnel tunnel)
    {
        var result = LabExec.Run(state, tunnel.Host, ["wg", "show", tunnel.InterfaceName, "latest-handshakes"], TimeSpan.FromSeconds(5));
        if (!result.Succeeded)
        {
            return [];
        }
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Where(fields => fields.Length == 2 && fields[1].Trim() != "0")
            .Select(fields => fields[0])
            .ToList();
    }
}
