using Sitewire.Host.Doctor;
using Sitewire.Host.Live;

namespace Sitewire.Host.Tests.Live;

/// <summary>The seed's topology and its lab's healthy nodes as `sitewire lab snapshot` wrote them (Recorded/seed-lab/NODE.json).</summary>
internal static class SeedLab
{
    public static string Topology => Path.Combine(AppContext.BaseDirectory, "Recorded", "seed.yaml");

    public static string Snapshots => Path.Combine(AppContext.BaseDirectory, "Recorded", "seed-lab");

    public static NodeSnapshot Snapshot(string node) => NodeSnapshotFile.Read(Path.Combine(Snapshots, NodeSnapshotFile.FileName(node))).State;

    /// <summary>When the recording was taken: its snapshots are fresh then.</summary>
    public static DateTimeOffset TakenAt => Snapshot("relay").Now;
}
