using System.Diagnostics;
using Sitewire.Config.WgQuick;

namespace Sitewire.Host.Lab;

/// <summary>
/// Waits, bounded, until every node that keeps sessions up (a peer with Endpoint and PersistentKeepalive: nodes behind
/// NAT, road-warriors) has completed a handshake with each such peer — as an admin checks `wg show latest-handshakes`
/// before testing — so the flows that follow do not race the first keepalive on a loaded machine. A peer still
/// without a handshake at the deadline is named, and the flows run anyway: they show what that means.
/// </summary>
internal static class LabHandshakes
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

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

    /// <summary>(tunnel, peer public key) for each peer the node dials and keeps alive.</summary>
    private static IEnumerable<(LabTunnel Tunnel, string PeerKey)> KeptUp(LabTunnel tunnel) =>
        WgQuickParser.Parse(tunnel.ConfigText, tunnel.Host + ".conf") is { Succeeded: true } parsed
            ? parsed.Config.Peers.Where(p => p.Endpoint is not null && p.PersistentKeepalive is > 0).Select(p => (tunnel, p.PublicKey.ToBase64()))
            : [];

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
            .Select(fields => fields[0]);
    }
}
