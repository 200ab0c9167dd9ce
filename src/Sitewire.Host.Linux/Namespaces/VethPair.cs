using Sitewire.Host.Processes;

namespace Sitewire.Host.Namespaces;

/// <summary>Creates a veth pair with one end in each namespace (deleting a namespace deletes its end, and so the pair).</summary>
public static class VethPair
{
    public static void Create(string name1, NetworkNamespace ns1, string name2, NetworkNamespace ns2)
    {
        Shell.Run("ip", "link", "add", name1, "netns", ns1.Name, "type", "veth", "peer", "name", name2, "netns", ns2.Name).EnsureSuccess();
        ns1.Exec("ip", "link", "set", name1, "up").EnsureSuccess();
        ns2.Exec("ip", "link", "set", name2, "up").EnsureSuccess();
    }
}
