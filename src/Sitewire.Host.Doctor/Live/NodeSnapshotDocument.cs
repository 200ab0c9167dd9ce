using Sitewire.Host.Doctor;

namespace Sitewire.Host.Live;

/// <summary>A node snapshot file (docs/snapshot.md): the format's version, the node's name in its topology, and what `sitewire doctor --snapshot` read.</summary>
public sealed record NodeSnapshotDocument(int Version, string Node, NodeSnapshot State);
