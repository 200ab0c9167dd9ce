using System.Net;
using Sitewire.Config.WgQuick;
using Sitewire.Crypto;

namespace Sitewire.Planner.Import;

/// <summary>
/// Which node serves each LAN prefix the configs route (any prefix of either family outside the overlays, /0 aside): a
/// node some config routes it to whose own config does not route it into the tunnel (a peer without a file counts as
/// one). The carrier (a hub, or the relay that carries a mesh's pairs) is special: others route LANs to it, so a
/// prefix it routes nowhere is its own LAN only when nothing says otherwise. When another node serves it too, or
/// exactly one other node does not route it either, that node serves it and the carrier's entry for it lacks it; when
/// the carrier masquerades (it has a LAN) it is the carrier's; else nobody serves it:
/// "alpha and beta route 10.21.0.0/24 to relay, but relay has no peer for it", never an invented LAN on the hub.
/// </summary>
internal static class PrefixOwners
{
    /// <returns>Per node, in the nodes' order, the prefixes it serves.</returns>
    public static List<IReadOnlyList<IPNetwork>> Assign(
        IReadOnlyList<(Key PublicKey, WgQuickConfig? Config)> nodes, IReadOnlyList<string> names, int? carrier, IReadOnlyList<bool> masquerades,
        IReadOnlyList<IPNetwork> overlays, List<string> warnings)
    {
        var index = nodes.Select((node, position) => (node.PublicKey, position)).ToDictionary(entry => entry.PublicKey, entry => entry.position);
        var entries = nodes.SelectMany((node, from) => (node.Config?.Peers ?? []).Where(peer => index.ContainsKey(peer.PublicKey))
            .Select(peer => (From: from, To: index[peer.PublicKey], peer.AllowedIps))).ToList();
        var result = nodes.Select(_ => new List<IPNetwork>()).ToList();
        var prefixes = entries.SelectMany(entry => entry.AllowedIps)
            .Where(prefix => prefix.PrefixLength > 0 && !overlays.Any(overlay => Within(prefix, overlay)))
            .Distinct();
        foreach (var prefix in prefixes)
        {
            bool Routes(int node) => nodes[node].Config is { } config && config.Peers.Any(peer => peer.AllowedIps.Contains(prefix));
            var towards = entries.Where(entry => entry.AllowedIps.Contains(prefix)).ToList();
            var owners = towards.Select(entry => entry.To).Distinct().Where(target => !Routes(target)).ToList();
            if (carrier is { } centre && owners.Contains(centre))
            {
                owners.Remove(centre);
                var routers = Routers(towards.Where(entry => entry.To == centre).Select(entry => names[entry.From]).Distinct().ToList());
                var silent = Enumerable.Range(0, nodes.Count).Where(node => node != centre && nodes[node].Config is not null && !Routes(node)).ToList();
                if (owners.Count > 0)
                {
                    warnings.Add($"{routers} {prefix} to {names[centre]}, but {names[centre]} has no peer for it");
                }
                else if (silent is [var spoke] && (masquerades[spoke] || !masquerades[centre]))
                {
                    owners.Add(spoke);
                    warnings.Add($"{routers} {prefix} to {names[centre]}, but {names[centre]} has no peer for it: read as the LAN of {names[spoke]} (the one other node that does not route it), missing from {names[centre]}'s entry for {names[spoke]}");
                }
                else if (masquerades[centre])
                {
                    owners.Add(centre);
                }
                else
                {
                    warnings.Add($"{routers} {prefix} to {names[centre]}, but {names[centre]} has no peer for it");
                }
            }
            else if (owners.Count == 0)
            {
                warnings.Add($"{Routers(towards.Select(entry => names[entry.From]).Distinct().ToList())} {prefix} into the tunnel, but every node it goes to routes it on: no node serves it");
            }
            foreach (var owner in owners)
            {
                result[owner].Add(prefix);
            }
        }
        return [.. result];
    }

    /// <summary>"alpha routes", "alpha and beta route".</summary>
    private static string Routers(List<string> names) => $"{Names(names)} {(names.Count == 1 ? "routes" : "route")}";

    internal static string Names(List<string> names) =>
        names.Count <= 1 ? string.Concat(names) : $"{string.Join(", ", names.Take(names.Count - 1))} and {names[^1]}";

    /// <summary>Whether the prefix lies inside the overlay (false across families).</summary>
    private static bool Within(IPNetwork prefix, IPNetwork overlay) =>
        overlay.PrefixLength <= prefix.PrefixLength && overlay.Contains(prefix.BaseAddress);
}
