using Sitewire.Config.Topology;
using Sitewire.Config.WgQuick;

namespace Sitewire.Planner.Import;

/// <summary>
/// Keepalives as the configs send them. The network's value is the one most nodes that need a keepalive (no endpoint,
/// or behind NAT) send, 0 when they all send none; a node that sends another value than plan would give it (its own
/// setting, a deleted PersistentKeepalive) keeps it as its own <c>persistent_keepalive</c>, so a re-plan does not put
/// back what someone took out. A keepalive on an entry without Endpoint (plan sends them only to peers a node dials) is
/// named in a warning.
/// </summary>
internal static class ImportedKeepalive
{
    public static ImportedTopology Apply(ImportedTopology imported, IReadOnlyList<int?> sent, IReadOnlyList<WgQuickConfig> configs, List<string> warnings)
    {
        var nodes = imported.Nodes.ToList();
        bool Needs(int index) => nodes[index].Endpoint is null || nodes[index].BehindNat;
        var needing = Enumerable.Range(0, sent.Count).Where(index => Needs(index) && sent[index] is not null).Select(index => sent[index]!.Value).ToList();
        int? network = needing.Where(value => value > 0).GroupBy(value => value).OrderByDescending(group => group.Count()).Select(group => (int?)group.Key).FirstOrDefault()
            ?? (needing.Count > 0 ? 0 : null);
        for (var index = 0; index < sent.Count; index++)
        {
            var node = nodes[index];
            var expected = Needs(index) ? network ?? NetworkSettings.DefaultPersistentKeepalive : 0;
            if (sent[index] is { } value && value != expected)
            {
                nodes[index] = node with { Overrides = node.Overrides with { PersistentKeepalive = value } };
                if (value == 0)
                {
                    warnings.Add($"{node.Name} {(node.Endpoint is null ? "has no endpoint" : "is behind NAT")} and its config sends no PersistentKeepalive: kept (persistent_keepalive: 0), so verify answers for it");
                }
            }
            var undialled = configs[index].Peers.Where(peer => peer.Endpoint is null && peer.PersistentKeepalive is > 0).Select(peer => peer.Name ?? peer.PublicKey.ToBase64()).ToList();
            if (undialled.Count > 0)
            {
                warnings.Add($"{node.Name} sends PersistentKeepalive to {PrefixOwners.Names(undialled)}, which it has no Endpoint for: a plan sends keepalives only to peers it dials");
            }
        }
        return imported with { Nodes = nodes, PersistentKeepalive = network };
    }
}
