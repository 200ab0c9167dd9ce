namespace Sitewire.Host.Tests;

/// <summary>
/// Command output recorded from a seed lab (office: iptables-nft rules from the planner; relay: two peers) and from
/// examples/dualstack.yaml's lab (hq-dualstack: its hq node, nft rules from the planner; dualstack.yaml: the topology itself).
/// </summary>
internal static class Recorded
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Recorded", name));
}
