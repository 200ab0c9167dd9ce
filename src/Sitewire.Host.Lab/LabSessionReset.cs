namespace Sitewire.Host.Lab;

/// <summary>
/// Each flow starts from the state an idle network settles in, as verify assumes (issue 16, class 6): a node knows the
/// endpoints its file names and the ones a peer keeps up with PersistentKeepalive, and nothing an earlier flow taught it.
/// A session one node opens to another that has no endpoint for it, without keepalive, lets the other answer — and,
/// left in place, send its own flows back that way, which for real work only while the first has spoken recently.
/// Before each flow the lab makes both nodes of every such pair forget each other (`wg set … peer … remove`, then the
/// peer back from the node's file with `wg syncconf`): keys, session and learned endpoint go, the configuration stays.
/// A design without such a pair needs no reset, and its flows run in parallel.
/// </summary>
internal static class LabSessionReset
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private const string ForgetPeers =
        "iface=$1; conf=$2; shift 2; for key; do wg set \"$iface\" peer \"$key\" remove || exit; done; wg syncconf \"$iface\" <(wg-quick strip \"$conf\")";

    /// <summary>
    /// Per node, the peers it forgets before each flow: both ends of every pair where one node dials the other (an
    /// Endpoint, no PersistentKeepalive) and the other has no endpoint for it, so it can only answer on a learned one.
    /// </summary>
    public static Dictionary<string, List<string>> Forgotten(IEnumerable<LabTunnel> tunnels)
    {
        var nodes = LabNodeConfig.Of(tunnels);
        var byKey = LabNodeConfig.ByKey(nodes);
        var forgotten = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var listener in nodes)
        {
            foreach (var toDialer in listener.Config.Peers.Where(p => p.Endpoint is null))
            {
                if (byKey.TryGetValue(toDialer.PublicKey.ToBase64(), out var dialer)
                    && dialer.PeerFor(listener) is { Endpoint: not null, PersistentKeepalive: null or 0 })
                {
                    Add(forgotten, listener.Tunnel.Host, dialer.PublicKey);
                    Add(forgotten, dialer.Tunnel.Host, listener.PublicKey);
                }
            }
        }
        return forgotten;
    }

    /// <summary>Makes each node forget the peers <see cref="Forgotten"/> named for it; a node where that fails is named.</summary>
    public static void Run(LabState state)
    {
        var failures = state.ForgetBeforeEachFlow
            .AsParallel()
            .Select(node => (Host: node.Key, Result: LabExec.Run(state, node.Key,
                ["bash", "-c", ForgetPeers, "sitewire-lab-reset", state.Tunnels[node.Key], state.ConfigPath(node.Key), .. node.Value], Limit)))
            .Where(r => !r.Result.Succeeded)
            .Select(r => $"{r.Host}: {r.Result.StandardError.Trim()}")
            .ToList();
        if (failures.Count > 0)
        {
            throw new InvalidOperationException($"the lab could not reset its sessions between flows ({string.Join("; ", failures.Order(StringComparer.Ordinal))})");
        }
    }

    private static void Add(Dictionary<string, List<string>> forgotten, string host, string key)
    {
        if (!forgotten.TryGetValue(host, out var keys))
        {
            forgotten[host] = keys = [];
        }
        if (!keys.Contains(key))
        {
            keys.Add(key);
        }
    }
}
