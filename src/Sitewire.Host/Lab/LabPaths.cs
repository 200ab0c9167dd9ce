namespace Sitewire.Host.Lab;

/// <summary>Where labs keep their state, and how their objects are named (every name carries the lab id).</summary>
public static class LabPaths
{
    public const string Root = "/run/sitewire/labs";
    public const string NamespacePrefix = "sitewire-";

    public static string LabDirectory(string id) => Path.Combine(Root, id);

    public static string NamespaceName(string id, string host) => $"{NamespacePrefix}{id}-{host}";

    /// <summary>`ip netns exec` bind-mounts the files here over /etc (the lab's hosts file for endpoint names).</summary>
    public static string EtcDirectory(string namespaceName) => Path.Combine("/etc/netns", namespaceName);

    /// <summary>A new lab id: 4 hex chars not used by a lab on this machine.</summary>
    public static string NewId()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var id = Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.Next(0x10000)))[..4];
            if (!Directory.Exists(LabDirectory(id)) && !File.Exists(Path.Combine("/run/netns", NamespaceName(id, "inet"))))
            {
                return id;
            }
        }
        throw new InvalidOperationException("no free lab id (100 tries); run `sitewire lab down` to remove old labs");
    }
}
