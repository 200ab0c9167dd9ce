namespace Sitewire.Host.Lab;

/// <summary>Where labs keep their state, and how their objects are named (every name carries the lab id).</summary>
public static class LabPaths
{
    public const string Root = "/run/sitewire/labs";
    public const string NamespacePrefix = "sitewire-";

    public static string LabDirectory(string id) => Path.Combine(Root, id);

    public static string NamespaceName(string id, string host) => $"{NamespacePrefix}{id}-{host.Replace('/', '.')}";

    /// <summary>`ip netns exec` bind-mounts the files here over /etc (the lab's hosts file for endpoint names).</summary>
    public static string EtcDirectory(string namespaceName) => Path.Combine("/etc/netns", namespaceName);

    /// <summary>
    /// A new lab id, 4 hex chars, claimed for this lab: its directory holds a claim file created exclusively (O_EXCL), so
    /// two labs starting at once never get the same id (checking for a free id and creating it in two steps let them).
    /// </summary>
    public static string ClaimNewId()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var id = Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.Next(0x10000)))[..4];
            if (File.Exists(Path.Combine("/run/netns", NamespaceName(id, TopologyBlueprint.InternetHost))))
            {
                continue;
            }
            Directory.CreateDirectory(LabDirectory(id));
            try
            {
                using var claim = new FileStream(Path.Combine(LabDirectory(id), "claim"), FileMode.CreateNew, FileAccess.Write);
                return id;
            }
            catch (IOException) when (File.Exists(Path.Combine(LabDirectory(id), "claim")))
            {
            }
        }
        throw new InvalidOperationException("no free lab id (100 tries); run `sitewire lab down` to remove old labs");
    }
}
