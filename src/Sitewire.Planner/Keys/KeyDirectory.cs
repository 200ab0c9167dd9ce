using Sitewire.Crypto;

namespace Sitewire.Planner.Keys;

/// <summary>
/// The layout of <c>OUT/keys/</c>: <c>&lt;node&gt;.key</c> (0600, private), <c>&lt;node&gt;.pub</c>,
/// and <c>psk/&lt;a&gt;--&lt;b&gt;.psk</c> (0600) per link. Reading is tolerant: a missing or
/// unreadable file means "generate a new one".
/// </summary>
public static class KeyDirectory
{
    public const string FolderName = "keys";

    public static string PrivateKeyFile(string node) => $"{FolderName}/{node}.key";

    public static string PublicKeyFile(string node) => $"{FolderName}/{node}.pub";

    public static string PresharedKeyFile(string nodeA, string nodeB)
    {
        var (first, second) = PlanKeys.LinkId(nodeA, nodeB);
        return $"{FolderName}/psk/{first}--{second}.psk";
    }

    /// <summary>Reads a base64 key file under <paramref name="root"/>, or null when absent or malformed.</summary>
    public static Key? TryRead(string? root, string relativePath)
    {
        if (root is null)
        {
            return null;
        }
        var path = Path.Combine(root, relativePath);
        if (!File.Exists(path))
        {
            return null;
        }
        return Key.TryParseBase64(File.ReadAllText(path).Trim(), out var key) ? key : null;
    }
}
