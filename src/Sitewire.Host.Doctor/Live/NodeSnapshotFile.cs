using System.Text.Encodings.Web;
using System.Text.Json;
using Sitewire.Config.Diagnostics;
using Sitewire.Host.Doctor;

namespace Sitewire.Host.Live;

/// <summary>
/// A node's live state as a file (docs/snapshot.md): `sitewire doctor --snapshot` writes it, `sitewire lab snapshot` collects
/// one per lab node as <c>NODE.json</c>, `sitewire verify TOPOLOGY --live DIR` reads them. It holds public keys only: the
/// WireGuard dump it is made from never keeps a private or preshared key. Reading refuses, as a diagnostic naming the file,
/// line, column and field: malformed JSON, another <see cref="Version"/>, a missing or unknown field, a value of the wrong kind.
/// </summary>
public static class NodeSnapshotFile
{
    /// <summary>The format's version; a change that an older sitewire would misread takes the next number.</summary>
    public const int Version = 3;

    public static string FileName(string node) => $"{node}.json";

    /// <summary>Base64 keys as they are ("+" unescaped): the file is read by people and sitewire, never embedded in HTML.</summary>
    private static readonly NodeSnapshotJson Json = new(new JsonSerializerOptions(NodeSnapshotJson.Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    public static string Write(string node, NodeSnapshot state) => JsonSerializer.Serialize(new NodeSnapshotDocument(Version, node, state), Json.NodeSnapshotDocument) + "\n";

    public static NodeSnapshotDocument Read(string path) => Parse(File.ReadAllBytes(path), path);

    /// <summary>The document in <paramref name="bytes"/>; <paramref name="path"/> names the file in diagnostics.</summary>
    public static NodeSnapshotDocument Parse(byte[] bytes, string path) =>
        VersionedJsonFile.Parse(bytes, path, Json.NodeSnapshotDocument, Version, "the snapshot object of `sitewire doctor --snapshot`", "take the snapshot again with this sitewire");
}
