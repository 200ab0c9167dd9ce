using System.Net;
using Sitewire.Config.Diagnostics;
using Sitewire.Config.Topology;
using Sitewire.Crypto;
using Sitewire.Host.Doctor;
using Sitewire.Planner.Layout;
using Sitewire.Planner.Model;
using Sitewire.Planner.Plan;
using Sitewire.Planner.Verify;

namespace Sitewire.Host.Live;

/// <summary>
/// `sitewire verify TOPOLOGY --live DIR`: proves every declared flow there and back on what is deployed. The topology is laid out
/// as verify lays it out, then each node with a snapshot <c>DIR/NODE.json</c> (<see cref="NodeSnapshotFile"/>) gets its live
/// forwarding, routes, WireGuard peers and keys, and netfilter in place of the plan's (<see cref="LiveNode"/>); flows run through
/// the same simulator as verify. A snapshot that is missing, malformed, of another node or topology, or stale is a finding, never a crash.
/// </summary>
public static class LiveVerifier
{
    /// <summary>A snapshot older than this is reported as stale (it is still used).</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(30);

    /// <summary>Verifies on the snapshots in <paramref name="directory"/>, which must exist.</summary>
    public static VerifyReport Verify(Topology topology, string directory, DateTimeOffset now)
    {
        var live = Model(topology, directory, now);
        var simulator = new FlowSimulator(live.Network);
        return new VerifyReport(live.Findings, [.. topology.Flows.Select(flow => Verifier.Check(flow, simulator))]);
    }

    /// <summary>The model of the deployed network (what `trace --live` walks) and what the snapshots gave rise to.</summary>
    public static LiveModel Model(Topology topology, string directory, DateTimeOffset now)
    {
        var findings = new List<Finding>();
        var snapshots = new Dictionary<string, NodeSnapshot>(StringComparer.Ordinal);
        foreach (var node in topology.Nodes)
        {
            if (Usable(topology, node, directory, now, findings) is { } snapshot)
            {
                snapshots[node.Name] = snapshot;
            }
        }
        findings.AddRange(UnknownSnapshots(topology, directory));
        var iface = topology.Network.InterfaceName;
        var keys = VerifyKeys.For(topology);
        var nodeByKey = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (node, snapshot) in snapshots)
        {
            if (snapshot.WireGuard.FirstOrDefault(w => w.Name == iface) is { } live && Key.TryParseBase64(live.PublicKey, out var key))
            {
                keys.SetPublic(node, key);
                nodeByKey[live.PublicKey] = node;
            }
        }
        foreach (var (node, key) in KeysOfNodesWithoutSnapshot(topology, snapshots, nodeByKey))
        {
            keys.SetPublic(node, Key.ParseBase64(key));
            nodeByKey[key] = node;
        }
        var plan = NetworkPlanner.Plan(topology, new PlanOptions(), keys);
        var network = ModelBuilder.Build(plan, NetworkLayoutBuilder.Build(plan));
        foreach (var (node, snapshot) in snapshots)
        {
            foreach (var unplaced in LiveNode.Apply(network, network.Find(node)!, snapshot, nodeByKey))
            {
                findings.Add(new Finding(Severity.Warning, "snapshot-entry-not-modelled", node, "state", null,
                    $"{unplaced}: verify --live leaves it out", "compare the node's interfaces with the topology"));
            }
        }
        return new LiveModel(network, findings);
    }

    /// <summary>
    /// The public keys of nodes without a usable snapshot, as the others' live peers name them: a peer whose key is no snapshot's
    /// belongs to the one node without a snapshot whose overlay address its AllowedIPs cover (none when they cover several).
    /// So a node taken as planned keeps the key its peers really use, and their tunnels to it are proven, not broken by a throwaway key.
    /// </summary>
    private static IEnumerable<(string Node, string Key)> KeysOfNodesWithoutSnapshot(Topology topology, IReadOnlyDictionary<string, NodeSnapshot> snapshots, IReadOnlyDictionary<string, string> nodeByKey)
    {
        var unseen = topology.Nodes.Where(n => !snapshots.ContainsKey(n.Name)).ToList();
        var peers = snapshots.Values
            .SelectMany(s => s.WireGuard.Where(w => w.Name == topology.Network.InterfaceName))
            .SelectMany(w => w.Peers)
            .Where(p => !nodeByKey.ContainsKey(p.PublicKey) && Key.TryParseBase64(p.PublicKey, out _));
        return peers
            .Select(peer => (Peer: peer, Owners: unseen.Where(n => peer.AllowedIps.Any(a => IPNetwork.TryParse(a, out var prefix) && prefix.Contains(n.OverlayAddress))).ToList()))
            .Where(candidate => candidate.Owners.Count == 1)
            .Select(candidate => (candidate.Owners[0].Name, candidate.Peer.PublicKey))
            .Distinct();
    }

    /// <summary>The node's snapshot when it can stand for the node; else null, with the finding that says why.</summary>
    private static NodeSnapshot? Usable(Topology topology, Node node, string directory, DateTimeOffset now, List<Finding> findings)
    {
        var path = Path.Combine(directory, NodeSnapshotFile.FileName(node.Name));
        var take = $"on {node.Name}: sitewire doctor --snapshot {NodeSnapshotFile.FileName(node.Name)} --node {node.Name}, then copy the file into {directory}";
        if (!File.Exists(path))
        {
            findings.Add(new Finding(Severity.Error, "snapshot-missing", node.Name, "snapshot", null,
                $"no snapshot of {node.Name} ({path}): its part of every flow is proven as planned, not as deployed", take));
            return null;
        }
        NodeSnapshotDocument document;
        try
        {
            document = NodeSnapshotFile.Read(path);
        }
        catch (DiagnosticsException unreadable)
        {
            var first = unreadable.Diagnostics[0];
            findings.Add(new Finding(Severity.Error, "snapshot-unreadable", node.Name, first.Field, first.Location,
                $"the snapshot of {node.Name} cannot be read: {first.Message}{(first.Expected is { } expected ? $" (expected {expected})" : "")}; its part is proven as planned", take));
            return null;
        }
        if (document.Node != node.Name)
        {
            findings.Add(new Finding(Severity.Error, "snapshot-of-another-node", node.Name, "node", new SourceLocation(path, 1, 1),
                $"{path} is the snapshot of '{document.Node}', not of {node.Name}; its part is proven as planned", take));
            return null;
        }
        var state = document.State;
        var iface = topology.Network.InterfaceName;
        var tunnelAddresses = state.Addresses.Where(a => a.Interface == iface).Select(a => IPAddress.TryParse(a.Address, out var address) ? address : null).OfType<IPAddress>().ToList();
        if (tunnelAddresses.Count > 0 && !tunnelAddresses.Contains(node.OverlayAddress))
        {
            findings.Add(new Finding(Severity.Error, "snapshot-of-another-topology", node.Name, "address", new SourceLocation(path, 1, 1),
                $"{node.Name}'s {iface} has {string.Join(", ", tunnelAddresses)} in the snapshot, the topology gives it {node.OverlayAddress}: the snapshot is of another network; its part is proven as planned",
                $"{take}, or verify the topology the node was planned from"));
            return null;
        }
        if (state.WireGuard.All(w => w.Name != iface))
        {
            findings.Add(new Finding(Severity.Warning, "snapshot-without-tunnel", node.Name, "interface", new SourceLocation(path, 1, 1),
                $"{node.Name} had no WireGuard interface {iface} when the snapshot was taken: its flows are proven without the tunnel",
                $"on {node.Name}: wg-quick up {iface}"));
        }
        if (now - state.Now > MaxAge)
        {
            findings.Add(new Finding(Severity.Warning, "snapshot-stale", node.Name, "now", new SourceLocation(path, 1, 1),
                $"the snapshot of {node.Name} was taken {state.Now:u}, {(now - state.Now).TotalMinutes:0} minutes ago: the node may have changed since", take));
        }
        return state;
    }

    /// <summary>A warning for each snapshot file of the directory that names no node of the topology.</summary>
    private static IEnumerable<Finding> UnknownSnapshots(Topology topology, string directory)
    {
        var nodes = topology.Nodes.Select(n => NodeSnapshotFile.FileName(n.Name)).ToHashSet(StringComparer.Ordinal);
        return Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal)
            .Where(path => !nodes.Contains(Path.GetFileName(path)))
            .Select(path => new Finding(Severity.Warning, "snapshot-of-unknown-node", null, "snapshot", null,
                $"{path} names no node of the topology (nodes: {string.Join(", ", topology.Nodes.Select(n => n.Name))}); it is left out",
                "name each snapshot NODE.json after its node in the topology"));
    }
}
