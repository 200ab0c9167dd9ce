using Sitewire.Host.Live;

namespace Sitewire.Host.Lab;

/// <summary>
/// `sitewire lab snapshot`: each WireGuard node of a lab runs `sitewire doctor --snapshot - --node NODE` inside its namespace, as an
/// operator would on a real node, and its snapshot is written to <c>DIR/NODE.json</c>, ready for `sitewire verify TOPOLOGY --live DIR`.
/// </summary>
public static class LabSnapshots
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Writes every node's snapshot; returns their paths. <paramref name="sitewire"/> is the CLI binary the nodes run.</summary>
    public static IReadOnlyList<string> Collect(LabState state, string sitewire, string directory)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        foreach (var node in state.Tunnels.Keys.Order(StringComparer.Ordinal))
        {
            var result = LabExec.Run(state, node, [sitewire, "doctor", "--snapshot", "-", "--node", node], Timeout);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"lab {state.Id}: `sitewire doctor --snapshot - --node {node}` on {node} exited {result.ExitCode}: {result.StandardError.Trim()}");
            }
            var path = Path.Combine(directory, NodeSnapshotFile.FileName(node));
            File.WriteAllText(path, result.StandardOutput);
            written.Add(path);
        }
        return written;
    }
}
